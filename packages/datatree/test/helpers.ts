import type { ACL, Id, TxnEntry } from '@zk/protocol';
import { DataTree } from '../src/tree.js';
import type { PrepContext, PrepOptions } from '../src/prep.js';
import { TxnPreparer } from '../src/prep.js';
import type { ApplyResult, DataTreeOptions } from '../src/types.js';

export const OPEN: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A tree + preparer pair with a zxid counter and a clock, like a standalone server's pipeline. */
export class Harness {
  readonly tree: DataTree;
  readonly prep: TxnPreparer;
  zxid = 0n;
  time = 1_000_000;
  readonly log: TxnEntry[] = [];

  constructor(treeOpts: DataTreeOptions = {}, prepOpts: PrepOptions = {}) {
    this.tree = new DataTree(treeOpts);
    this.prep = new TxnPreparer(this.tree, prepOpts);
  }

  /** Prepare only (the txn stays outstanding). */
  prepare(type: number, body: unknown, session = 1n, authIds: Id[] = [], extra: Partial<PrepContext> = {}): TxnEntry {
    this.zxid++;
    this.time += 10;
    const e = this.prep.prepare({ sessionId: session, cxid: Number(this.zxid), zxid: this.zxid, time: this.time, type, body }, { authIds, ...extra });
    this.log.push(e);
    return e;
  }

  commit(e: TxnEntry): ApplyResult {
    const r = this.tree.apply(e);
    this.prep.onApplied(e.header.zxid);
    return r;
  }

  /** Apply and hand back the entry (for asserting on the txn). */
  commitAndReturn(e: TxnEntry): TxnEntry {
    this.commit(e);
    return e;
  }

  /** Prepare and apply. */
  run(type: number, body: unknown, session = 1n, authIds: Id[] = [], extra: Partial<PrepContext> = {}): ApplyResult {
    return this.commit(this.prepare(type, body, session, authIds, extra));
  }

  create(path: string, data: string | null = '', flags = 0, session = 1n, acl: ACL[] = OPEN): ApplyResult {
    return this.run(1, { path, data: data === null ? null : enc(data), acl, flags }, session);
  }
}
