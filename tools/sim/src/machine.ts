/**
 * The replicated state machine of the simulation: a DataTree applying
 * ZooKeeper txn entries (encodeTxnEntry bytes). The header's zxid is set from
 * the zxid ZAB assigned (the workload encodes the entry before it knows it).
 */
import { DataTree } from '@zk/datatree';
import { decodeTxnEntry } from '@zk/protocol';
import type { ReplicatedStateMachine } from '@zk/quorum';

export interface MachineObserver {
  applied(sid: number, zxid: bigint, payload: Uint8Array, err: number): void;
  restored(sid: number, zxid: bigint): void;
}

export class TreeMachine implements ReplicatedStateMachine {
  tree = new DataTree();
  lastZxid = 0n;
  constructor(
    readonly sid: number,
    private readonly observer: MachineObserver,
  ) {}

  apply(zxid: bigint, payload: Uint8Array): void {
    const entry = decodeTxnEntry(payload);
    entry.header.zxid = zxid;
    const r = this.tree.apply(entry);
    this.lastZxid = zxid;
    this.observer.applied(this.sid, zxid, payload, r.err);
  }

  snapshot(): Uint8Array[] {
    return this.tree.serializeSnapshot();
  }

  restore(data: Uint8Array | readonly Uint8Array[]): void {
    const loaded = DataTree.fromSnapshot(data);
    this.tree = loaded.tree;
    this.lastZxid = loaded.zxid;
    this.observer.restored(this.sid, loaded.zxid);
  }
}
