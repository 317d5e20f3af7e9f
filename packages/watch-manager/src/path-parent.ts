/**
 * The parent of a validated absolute path: "/a/b" -> "/a", "/a" -> "/", and "" for "/" (no parent).
 * PathParentIterator walks the same way.
 */
export function parentPath(path: string): string {
  if (path === '/') return '';
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
