// Snapshot size per znode. Snapshot files of both systems are named `snapshot.<zxid hex>`, the
// last txn they contain. On the tree server nearly every txn is a create (the rest are a handful
// of session txns), so the zxid's counter bounds the znodes the snapshot holds; it is capped by
// the znodes that exist, plus the system nodes (/, /zookeeper, /zookeeper/quota, /zookeeper/config).

import { readSnapshotRecords } from '@zk/datatree';
import { readSnapshotFile } from '@zk/storage-file';
import { compareZxid, counterOf, type Zxid } from '@zk/zxid';

export const SYSTEM_ZNODES = 4;

export interface SnapshotFileInfo {
  name: string;
  bytes: number;
  zxid: Zxid;
}

/** The zxid of a `snapshot.<hex>` file name, or undefined. */
export function snapshotZxid(name: string): Zxid | undefined {
  const m = /^snapshot\.([0-9a-f]{1,16})$/.exec(name);
  return m ? BigInt('0x' + m[1]!) : undefined;
}

/** Oldest first. */
export function sortSnapshots<T extends { zxid: Zxid }>(files: T[]): T[] {
  return files.sort((a, b) => compareZxid(a.zxid, b.zxid));
}

/** Estimated znodes in a snapshot taken at `zxid` of a tree that grew to `createdZnodes` by creates. */
export function znodesInSnapshot(zxid: Zxid, createdZnodes: number): number {
  return Math.min(counterOf(zxid), createdZnodes) + SYSTEM_ZNODES;
}

/**
 * The znodes a zk-ts snapshot file really holds (its node records). A fuzzy snapshot written
 * while creates went on holds more than its zxid's counter says, so for ours the estimate above
 * would overstate the bytes per znode; ZooKeeper's newest snapshot after a restart is the one it
 * writes at startup, which holds exactly the tree.
 */
export async function znodesInOurSnapshot(path: string): Promise<number> {
  const file = await readSnapshotFile(path);
  let nodes = 0;
  for await (const r of readSnapshotRecords(file.chunks)) if (r.kind === 'node') nodes++;
  return nodes;
}
