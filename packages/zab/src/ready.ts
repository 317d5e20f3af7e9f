/**
 * The output side of the core: everything a step produced, handed to the
 * driver as one `Ready` batch (etcd-io/raft's `Ready`), then acknowledged with
 * `advance()`. See README.md, "I/O contract".
 */
import type { Zxid } from '@zk/zxid';
import type { ZabMessage } from './messages.js';

/** ZooKeeper's `QuorumPeer.ServerState`. */
export type ServerState = 'LOOKING' | 'LEADING' | 'FOLLOWING' | 'OBSERVING';

/** ZooKeeper's `QuorumPeer.ZabState`. */
export type ZabPhase = 'ELECTION' | 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST';

/** One opaque transaction in the log. */
export interface LogEntry {
  readonly zxid: Zxid;
  readonly payload: Uint8Array;
}

/**
 * A durable write. Ops carry increasing sequence numbers and must become
 * durable in that order (a crash may lose a suffix, never a middle op). Report
 * durability with `node.persisted(seq)`: it means every op with a sequence
 * number up to `seq` is durable.
 */
export type PersistOp =
  /** Append one transaction to the txn log. */
  | { readonly kind: 'append'; readonly seq: number; readonly entry: LogEntry }
  /** Drop every log entry with a zxid greater than `zxid` (TRUNC). */
  | { readonly kind: 'truncate'; readonly seq: number; readonly zxid: Zxid }
  /**
   * Install a snapshot received with SNAP: restore the state machine from
   * `data` right away (before applying any later commits), and durably replace
   * the local snapshot and the whole txn log with it.
   */
  | { readonly kind: 'snapshot'; readonly seq: number; readonly zxid: Zxid; readonly data: Uint8Array }
  /** Write the acceptedEpoch file (`QuorumPeer.setAcceptedEpoch`). */
  | { readonly kind: 'acceptedEpoch'; readonly seq: number; readonly epoch: number }
  /** Write the currentEpoch file (`QuorumPeer.setCurrentEpoch`). */
  | { readonly kind: 'currentEpoch'; readonly seq: number; readonly epoch: number };

/** A message for the driver to send on the connection to `to`. */
export interface Outbound {
  readonly to: number;
  readonly msg: ZabMessage;
}

/** A committed transaction, to apply to the state machine in this order. */
export interface Commit {
  readonly zxid: Zxid;
  readonly payload: Uint8Array;
}

/** A role or phase change (or a change of `serving`). */
export interface StateChange {
  readonly state: ServerState;
  readonly phase: ZabPhase;
  /** The epoch being established or led (0 while LOOKING). */
  readonly epoch: number;
  readonly leader: number | null;
  readonly serving: boolean;
  readonly reason?: string;
}

/** A client write a learner forwarded to this leader (REQUEST). */
export interface ForwardedRequest {
  readonly from: number;
  readonly payload: Uint8Array;
}

/** Session touches a learner sent with its PING reply. */
export interface SessionTouches {
  readonly from: number;
  readonly payload: Uint8Array;
}

/** A local `sync(id)` may complete: everything it must see has been delivered in `commits` (this or an earlier Ready). */
export interface SyncCompletion {
  readonly id: number;
  readonly zxid: Zxid;
}

export interface Ready {
  /**
   * Send now (after processing `disconnect`); the core already withheld
   * anything that needs durability first. Per peer, keep this order.
   */
  readonly messages: readonly Outbound[];
  /** Durable writes, in order; report with `persisted(seq)`. */
  readonly persist: readonly PersistOp[];
  /** Apply to the state machine in order (all are durable locally already). */
  readonly commits: readonly Commit[];
  readonly stateChanges: readonly StateChange[];
  /**
   * The leader needs a snapshot of the state machine for SNAP sync: after
   * applying `commits`, call `snapshotReady(lastAppliedZxid, bytes)`.
   */
  readonly snapshotRequested: boolean;
  readonly requests: readonly ForwardedRequest[];
  readonly touches: readonly SessionTouches[];
  readonly syncs: readonly SyncCompletion[];
  /**
   * Close the connection to these peers (timed out, misbehaving, or this node
   * left its role). Process BEFORE `messages`: a message to the same peer in
   * this Ready is for a new connection.
   */
  readonly disconnect: readonly number[];
}

/** Accumulates outputs between `ready()` and `advance()`. */
export class ReadyBuilder {
  messages: Outbound[] = [];
  persist: PersistOp[] = [];
  commits: Commit[] = [];
  stateChanges: StateChange[] = [];
  snapshotRequests = 0;
  requests: ForwardedRequest[] = [];
  touches: SessionTouches[] = [];
  syncs: SyncCompletion[] = [];
  disconnect: number[] = [];

  private handed: {
    messages: number; persist: number; commits: number; stateChanges: number; snapshotRequests: number;
    requests: number; touches: number; syncs: number; disconnect: number;
  } | null = null;

  hasReady(): boolean {
    return (
      this.messages.length > 0 || this.persist.length > 0 || this.commits.length > 0 ||
      this.stateChanges.length > 0 || this.snapshotRequests > 0 || this.requests.length > 0 ||
      this.touches.length > 0 || this.syncs.length > 0 || this.disconnect.length > 0
    );
  }

  ready(): Ready {
    this.handed = {
      messages: this.messages.length, persist: this.persist.length, commits: this.commits.length,
      stateChanges: this.stateChanges.length, snapshotRequests: this.snapshotRequests,
      requests: this.requests.length, touches: this.touches.length, syncs: this.syncs.length,
      disconnect: this.disconnect.length,
    };
    return {
      messages: this.messages.slice(),
      persist: this.persist.slice(),
      commits: this.commits.slice(),
      stateChanges: this.stateChanges.slice(),
      snapshotRequested: this.snapshotRequests > 0,
      requests: this.requests.slice(),
      touches: this.touches.slice(),
      syncs: this.syncs.slice(),
      disconnect: [...new Set(this.disconnect)],
    };
  }

  /** Drops messages to `sid` that have not been handed out by `ready()` yet. */
  dropMessagesTo(sid: number): void {
    const from = this.handed === null ? 0 : this.handed.messages;
    const kept = this.messages.slice(from).filter((m) => m.to !== sid);
    this.messages.length = from;
    this.messages.push(...kept);
  }

  /** Drops exactly what the last `ready()` returned; anything produced since stays. */
  advance(): void {
    const h = this.handed;
    if (h === null) throw new Error('advance() without a preceding ready()');
    this.messages.splice(0, h.messages);
    this.persist.splice(0, h.persist);
    this.commits.splice(0, h.commits);
    this.stateChanges.splice(0, h.stateChanges);
    this.snapshotRequests -= h.snapshotRequests;
    this.requests.splice(0, h.requests);
    this.touches.splice(0, h.touches);
    this.syncs.splice(0, h.syncs);
    this.disconnect.splice(0, h.disconnect);
    this.handed = null;
  }
}
