// The multi builder: client.transaction().create(...).setData(...).check(...).delete(...).commit().

import type { Op, OpResult } from './multi.js';
import type { ACL, CallOptions, CreateModeName, Data } from './types.js';

export interface TransactionCreateOptions {
  readonly mode?: CreateModeName | number;
  readonly acl?: readonly ACL[];
  readonly ttl?: number;
}

/** Collects ops for one atomic `multi`; `commit` sends them. */
export interface Transaction {
  create(path: string, data?: Data, options?: TransactionCreateOptions): Transaction;
  delete(path: string, version?: number): Transaction;
  setData(path: string, data: Data, version?: number): Transaction;
  /** Fails the whole transaction unless `path` is at `version`. */
  check(path: string, version: number): Transaction;
  /** The ops collected so far. */
  readonly ops: readonly Op[];
  /** Runs the ops atomically; rejects like `multi` when one fails. */
  commit(options?: CallOptions): Promise<OpResult[]>;
}

export function createTransaction(run: (ops: readonly Op[], options?: CallOptions) => Promise<OpResult[]>): Transaction {
  const ops: Op[] = [];
  const tx: Transaction = {
    create(path, data, options) {
      ops.push({ type: 'create', path, data: data ?? null, ...options });
      return tx;
    },
    delete(path, version = -1) {
      ops.push({ type: 'delete', path, version });
      return tx;
    },
    setData(path, data, version = -1) {
      ops.push({ type: 'setData', path, data, version });
      return tx;
    },
    check(path, version) {
      ops.push({ type: 'check', path, version });
      return tx;
    },
    get ops() {
      return ops;
    },
    commit(options) {
      return run([...ops], options);
    },
  };
  return tx;
}
