// Builds big trees fast for the benchmarks: txns applied straight to a DataTree (no prep), the
// shape of the datatree README's measurement (N znodes of `valueBytes` in `parents` parents).
import { DataTree } from '@zk/datatree';
import { OpCode, type TxnEntry } from '@zk/protocol';

export const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
export const START_TIME = 1_700_000_000_000;

export interface BuiltTree {
  tree: DataTree;
  /** zxid of the last applied txn. */
  zxid: bigint;
  parents: number;
  perParent: number;
  nodePath(i: number): string;
}

export function value(i: number, bytes: number, salt = 0): Uint8Array {
  const b = Buffer.alloc(bytes, 0x61 + ((i + salt) % 26));
  b.write(`${i}:${salt}:`, 0, 'latin1');
  return b;
}

export function createEntry(zxid: bigint, path: string, data: Uint8Array): TxnEntry {
  return {
    header: { clientId: 1n, cxid: 0, zxid, time: START_TIME + Number(zxid), type: OpCode.create },
    txn: { type: OpCode.create, txn: { path, data, acl: OPEN, ephemeral: false, parentCVersion: -1 } },
  };
}

export function setDataEntry(zxid: bigint, path: string, data: Uint8Array, version: number): TxnEntry {
  return {
    header: { clientId: 1n, cxid: 0, zxid, time: START_TIME + Number(zxid), type: OpCode.setData },
    txn: { type: OpCode.setData, txn: { path, data, version } },
  };
}

/** `nodes` znodes of `valueBytes` bytes under `parents` parents (/p0000/n0000000 ...). */
export function buildTree(nodes: number, valueBytes: number, parents = 1000, onProgress?: (n: number) => void): BuiltTree {
  const tree = new DataTree();
  let zxid = 0n;
  const perParent = Math.ceil(nodes / parents);
  const parentPath = (p: number): string => `/p${String(p).padStart(4, '0')}`;
  const nodePath = (i: number): string => `${parentPath(Math.floor(i / perParent))}/n${String(i).padStart(7, '0')}`;
  for (let p = 0; p < parents; p++) tree.apply(createEntry(++zxid, parentPath(p), new Uint8Array(0)));
  for (let i = 0; i < nodes; i++) {
    tree.apply(createEntry(++zxid, nodePath(i), value(i, valueBytes)));
    if (onProgress !== undefined && i % 100_000 === 99_999) onProgress(i + 1);
  }
  return { tree, zxid, parents, perParent, nodePath };
}
