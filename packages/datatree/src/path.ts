// Path rules (ZooKeeper common/PathUtils.validatePath and the special system paths).

export const ROOT_PATH = '/';
/** Quotas.procZookeeper */
export const PROC_PATH = '/zookeeper';
/** Quotas.quotaZookeeper */
export const QUOTA_PATH = '/zookeeper/quota';
/** ZooDefs.CONFIG_NODE */
export const CONFIG_PATH = '/zookeeper/config';
/** ZooDefs.ZOOKEEPER_NODE_SUBTREE: excluded from the tree digest. */
export const ZOOKEEPER_SUBTREE_PREFIX = '/zookeeper/';

/**
 * Why `path` is not a valid znode path, or null when it is (PathUtils.validatePath): must start
 * with '/', must not end with '/' (except the root), no empty segment, no "." or ".." segment, no
 * NUL and no characters in U+0001-U+001F, U+007F-U+009F, U+D800-U+F8FF, U+FFF0-U+FFFF.
 */
export function pathError(path: string): string | null {
  const n = path.length;
  if (n === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== 0x2f) return 'Path must start with / character';
  if (n === 1) return null;
  if (path.charCodeAt(n - 1) === 0x2f) return 'Path must not end with / character';
  let last = 0x2f;
  for (let i = 1; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (path.charCodeAt(i - 2) === 0x2f && (i + 1 === n || path.charCodeAt(i + 1) === 0x2f)) {
        return `relative paths not allowed @${i}`;
      }
    } else if (c === 0x2e) {
      if (last === 0x2f && (i + 1 === n || path.charCodeAt(i + 1) === 0x2f)) {
        return `relative paths not allowed @${i}`;
      }
    } else if (
      (c > 0 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      c >= 0xfff0
    ) {
      return `invalid character @${i}`;
    }
    last = c;
  }
  return null;
}

export function isValidPath(path: string): boolean {
  return pathError(path) === null;
}

/** Sequential creates validate the name with a digit appended (a trailing '/' is allowed). */
export function isValidSequentialPrefix(path: string): boolean {
  return pathError(path + '1') === null;
}

/** The parent as ZooKeeper computes it: everything before the last '/' ("" for children of the root). */
export function parentOf(path: string): string {
  return path.substring(0, path.lastIndexOf('/'));
}

/** The path used for the parent in watch triggers: "" maps to "/". */
export function parentForEvents(path: string): string {
  const p = path.substring(0, path.lastIndexOf('/'));
  return p.length === 0 ? '/' : p;
}

export function childNameOf(path: string): string {
  return path.substring(path.lastIndexOf('/') + 1);
}

/** DataTree.isSpecialPath: "/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config". */
export function isSpecialPath(path: string): boolean {
  return path === ROOT_PATH || path === PROC_PATH || path === QUOTA_PATH || path === CONFIG_PATH;
}

/** PathUtils.getTopNamespace: first segment, or null. */
export function topNamespace(path: string): string | null {
  const parts = path.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length > 1 ? parts[1]! : null;
}
