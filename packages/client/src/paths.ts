// Znode path rules (ZooKeeper's PathUtils.validatePath) and chroot translation.

import { InvalidPathError } from './errors.js';

function invalidChar(c: number): boolean {
  return (
    (c > 0x00 && c <= 0x1f) ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0xd800 && c <= 0xf8ff) ||
    (c >= 0xfff0 && c <= 0xffff)
  );
}

/** Why `path` is not a valid znode path, or undefined when it is. Messages are the Java client's. */
export function pathProblem(path: string, sequential = false): string | undefined {
  if (typeof path !== 'string') return 'Path cannot be null';
  const p = sequential ? `${path}1` : path;
  if (p.length === 0) return 'Path length must be > 0';
  if (p.charCodeAt(0) !== 0x2f) return 'Path must start with / character';
  if (p.length === 1) return undefined;
  if (p.charCodeAt(p.length - 1) === 0x2f) return 'Path must not end with / character';
  let last = 0x2f;
  for (let i = 1; i < p.length; last = p.charCodeAt(i), i++) {
    const c = p.charCodeAt(i);
    let reason: string | undefined;
    const endsSegment = i + 1 === p.length || p.charCodeAt(i + 1) === 0x2f;
    if (c === 0) reason = `null character not allowed @${i}`;
    else if (c === 0x2f && last === 0x2f) reason = `empty node name specified @${i}`;
    else if (c === 0x2e && last === 0x2e) {
      if (p.charCodeAt(i - 2) === 0x2f && endsSegment) reason = `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (p.charCodeAt(i - 1) === 0x2f && endsSegment) reason = `relative paths not allowed @${i}`;
    } else if (invalidChar(c)) reason = `invalid character @${i}`;
    if (reason !== undefined) return `Invalid path string "${p}" caused by ${reason}`;
  }
  return undefined;
}

/** Throws InvalidPathError unless `path` is a valid znode path. */
export function validatePath(path: string, sequential = false): void {
  const problem = pathProblem(path, sequential);
  if (problem !== undefined) throw new InvalidPathError(path, problem);
}

/** Server path for a client path under `chroot` ('' when there is none). */
export function toServerPath(chroot: string, clientPath: string): string {
  if (chroot === '') return clientPath;
  return clientPath.length === 1 ? chroot : chroot + clientPath;
}

/** Client path for a server path under `chroot` (ClientCnxn's rule: the chroot itself becomes "/"). */
export function toClientPath(chroot: string, serverPath: string): string {
  if (chroot === '') return serverPath;
  if (serverPath === chroot) return '/';
  if (serverPath.length > chroot.length) return serverPath.slice(chroot.length);
  return serverPath;
}

/** The parent of a znode path ("/" for top-level nodes and for "/" itself). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Joins a parent path and a child name. */
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
