// multi / multiRead: the public op and result shapes, and their translation to and from the wire.

import { OpCode, type MultiOp, type MultiResult } from '@zk/protocol';
import { zooKeeperError, type ZooKeeperError } from './errors.js';
import { createParameters, toBytes } from './create-mode.js';
import { toClientPath, toServerPath, validatePath } from './paths.js';
import type { ACL, CreateModeName, Data, Stat } from './types.js';

/** One write in a `multi` (ZooKeeper's Op). */
export type Op =
  | {
      readonly type: 'create';
      readonly path: string;
      readonly data?: Data;
      readonly acl?: readonly ACL[];
      readonly mode?: CreateModeName | number;
      readonly ttl?: number;
    }
  | { readonly type: 'delete'; readonly path: string; readonly version?: number }
  | { readonly type: 'setData'; readonly path: string; readonly data: Data; readonly version?: number }
  | { readonly type: 'check'; readonly path: string; readonly version: number };

/**
 * The result of one op of a multi. In a failed multi every op reports an `error` result: the
 * failing op its own code, the ops before it code 0 and the ops after it RUNTIMEINCONSISTENCY
 * (-2), as ZooKeeper reports them.
 */
export type OpResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat | null }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' }
  | { readonly type: 'error'; readonly code: number; readonly error: ZooKeeperError | null };

/** One read in a `multiRead`. */
export type ReadOp = { readonly type: 'getData'; readonly path: string } | { readonly type: 'getChildren'; readonly path: string };

/** The result of one read of a multiRead; each read succeeds or fails on its own. */
export type ReadOpResult =
  | { readonly type: 'getData'; readonly data: Buffer | null; readonly stat: Stat }
  | { readonly type: 'getChildren'; readonly children: string[] }
  | { readonly type: 'error'; readonly code: number; readonly error: ZooKeeperError };

/** Validates `ops` and builds the wire ops (server paths). */
export function toWireOps(ops: readonly Op[], chroot: string): MultiOp[] {
  const out: MultiOp[] = [];
  for (const op of ops) {
    switch (op.type) {
      case 'create': {
        const p = createParameters(op.path, op.mode, op.acl, op.ttl);
        const req = { path: toServerPath(chroot, op.path), data: toBytes(op.data ?? null), acl: p.acl, flags: p.flags };
        if (p.opCode === OpCode.createTTL) out.push({ type: OpCode.createTTL, req: { ...req, ttl: op.ttl ?? -1 } });
        else out.push({ type: p.opCode as 15 | 19, req });
        break;
      }
      case 'delete':
        validatePath(op.path);
        out.push({ type: OpCode.delete, req: { path: toServerPath(chroot, op.path), version: op.version ?? -1 } });
        break;
      case 'setData':
        validatePath(op.path);
        out.push({
          type: OpCode.setData,
          req: { path: toServerPath(chroot, op.path), data: toBytes(op.data), version: op.version ?? -1 },
        });
        break;
      case 'check':
        validatePath(op.path);
        out.push({ type: OpCode.check, req: { path: toServerPath(chroot, op.path), version: op.version } });
        break;
      default:
        throw new TypeError(`unknown multi op type: ${(op as { type: unknown }).type}`);
    }
  }
  return out;
}

export function toWireReadOps(ops: readonly ReadOp[], chroot: string): MultiOp[] {
  return ops.map((op) => {
    validatePath(op.path);
    const req = { path: toServerPath(chroot, op.path), watch: false };
    if (op.type === 'getData') return { type: OpCode.getData, req };
    if (op.type === 'getChildren') return { type: OpCode.getChildren, req };
    throw new TypeError(`unknown multiRead op type: ${(op as { type: unknown }).type}`);
  });
}

/** Public results of a multi; `failed` is the index of the failing op, or -1. */
export function fromWireResults(
  results: readonly MultiResult[],
  paths: readonly string[],
  chroot: string,
): { results: OpResult[]; failed: number } {
  let failed = -1;
  const out = results.map((r, i): OpResult => {
    switch (r.type) {
      case 1:
        return { type: 'create', path: toClientPath(chroot, r.path), stat: null };
      case 15:
      case 19:
      case 21:
        return { type: 'create', path: toClientPath(chroot, r.path), stat: r.stat };
      case 2:
        return { type: 'delete' };
      case 5:
        return { type: 'setData', stat: r.stat };
      case 13:
        return { type: 'check' };
      case -1: {
        if (r.err !== 0 && failed < 0) failed = i;
        return { type: 'error', code: r.err, error: r.err === 0 ? null : zooKeeperError(r.err, paths[i], 'multi') };
      }
      default:
        throw new TypeError(`unexpected multi result type ${r.type}`);
    }
  });
  return { results: out, failed };
}

export function fromWireReadResults(results: readonly MultiResult[], paths: readonly string[]): ReadOpResult[] {
  return results.map((r, i): ReadOpResult => {
    switch (r.type) {
      case 4:
        return { type: 'getData', data: r.data === null ? null : Buffer.from(r.data), stat: r.stat };
      case 8:
        return { type: 'getChildren', children: r.children };
      case -1:
        return { type: 'error', code: r.err, error: zooKeeperError(r.err, paths[i], 'multiRead') };
      default:
        throw new TypeError(`unexpected multiRead result type ${r.type}`);
    }
  });
}
