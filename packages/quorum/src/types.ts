import type { Zxid } from '@zk/zxid';
import type { Storage } from '@zk/storage';
import type { Transport } from '@zk/transport';
import type { Clock } from './clock.js';

export type PeerType = 'participant' | 'observer';

export interface ServerSpec {
  readonly sid: number;
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly type: PeerType;
}

/** The replicated application. `apply` sees committed txns in zxid order. */
export interface ReplicatedStateMachine {
  apply(zxid: Zxid, payload: Uint8Array): void;
  /** The whole state; chunks are concatenated. */
  snapshot(): Uint8Array | Iterable<Uint8Array>;
  /**
   * Replace the whole state: a SNAP's bytes, or at start-up the local snapshot as the chunks the
   * storage read (not joined: a 1M-znode snapshot would be held twice).
   */
  restore(data: Uint8Array | readonly Uint8Array[]): void;
}

export interface PeerLogger {
  debug?(message: string): void;
  info?(message: string): void;
  warn(message: string): void;
}

export type PeerState = 'LOOKING' | 'LEADING' | 'FOLLOWING' | 'OBSERVING';

export interface QuorumPeerOptions {
  readonly sid: number;
  readonly servers: readonly ServerSpec[];
  readonly transport: Transport;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly stateMachine: ReplicatedStateMachine;
  readonly tickMs: number;
  /** Ticks for discovery + sync (ZooKeeper `initLimit`). */
  readonly initLimit: number;
  /** Ticks of silence tolerated in broadcast (ZooKeeper `syncLimit`). */
  readonly syncLimit: number;
  readonly logger?: PeerLogger;
  /**
   * The election's time unit, at most `tickMs` (default min(tickMs, 50)): ZooKeeper's election
   * waits are milliseconds (finalize wait 200 ms), so rounding them up to a 2 s tickTime would
   * make every election seconds long. ZAB keeps `tickMs`.
   */
  readonly electionTickMs?: number;
  /** Overrides of the election timings, in ms (finalizeWait, min/max notification interval). */
  readonly electionTimingsMs?: { finalizeWaitMs?: number; minNotificationMs?: number; maxNotificationMs?: number };
  /** In-memory committed txns kept for DIFF (ZooKeeper `zookeeper.commitLogCount`). */
  readonly commitLogCount?: number;
  /** Reconnect back-off bounds for peer links, in ms (default tickMs .. 8·tickMs). */
  readonly reconnectMs?: { min: number; max: number };
  /**
   * Attempts at binding the election port before start() fails (ZooKeeper's
   * `electionPortBindRetry`; 0 = forever), one second apart on the clock. Default 3.
   */
  readonly electionPortBindRetry?: number;
  /** A SNAP larger than this goes in parts of this size (default 16 MiB; tests make it small). */
  readonly snapPartBytes?: number;
  /** Called after every input in tests: run the cores' `invariants()`. */
  readonly checkInvariants?: boolean;
}

export type ProposeOutcome =
  | { readonly ok: true; readonly zxid: Zxid }
  | { readonly ok: false; readonly reason: 'not-leader' | 'not-established' | 'xid-rollover' | 'stopped' };

export interface PeerStateChange {
  readonly state: PeerState;
  readonly leader: number | null;
  readonly epoch: number;
  readonly serving: boolean;
  readonly reason?: string;
}

export interface QuorumPeer {
  readonly sid: number;
  readonly state: PeerState;
  readonly leaderId: number | null;
  /** Leader after a quorum acked NEWLEADER, learner after UPTODATE. */
  readonly serving: boolean;
  readonly running: boolean;
  /** Zxid of the last txn applied to the state machine. */
  readonly lastApplied: Zxid;
  /** Loads storage, listens on both ports, starts the election and the tick. */
  start(): Promise<void>;
  /** Stops timers, closes listeners and links. Storage is left to the caller. */
  stop(): Promise<void>;
  /** Leader: propose an opaque txn. */
  propose(payload: Uint8Array): ProposeOutcome;
  /**
   * Leader: the zxid the next `propose` will assign (null unless an established leader), so the
   * application can stamp it inside the payload first.
   */
  nextZxid(): Zxid | null;
  /** Learner: send a write to the leader as REQUEST. False when not serving. */
  forward(payload: Uint8Array): boolean;
  /** ZooKeeper sync: resolves with the leader's committed zxid once applied here; rejects when not serving. */
  sync(): Promise<Zxid>;
  onStateChange(handler: (change: PeerStateChange) => void): void;
  onCommit(handler: (zxid: Zxid, payload: Uint8Array) => void): void;
  onRequest(handler: (fromSid: number, payload: Uint8Array) => void): void;
  /**
   * Learner: called as each PING from the leader is answered; the bytes returned ride on the reply
   * (ZooKeeper's session touches). Return null for none.
   */
  provideTouches(provider: () => Uint8Array | null): void;
  /** Leader: the touches a learner's PING reply carried. */
  onTouches(handler: (fromSid: number, payload: Uint8Array) => void): void;
  /** A fatal error (a storage failure or a protocol violation): the peer stopped; restart it from storage. */
  onFatal(handler: (err: Error) => void): void;
  /** Diagnostic view of both cores. */
  status(): PeerStatus;
}

export interface PeerStatus {
  readonly sid: number;
  readonly state: PeerState;
  readonly leader: number | null;
  readonly serving: boolean;
  readonly epoch: number;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  readonly lastZxid: Zxid;
  readonly lastCommitted: Zxid;
  readonly lastApplied: Zxid;
  readonly electionState: string;
  readonly electionLinks: number[];
  readonly quorumLinks: number[];
  /** Leader: its learners as ZAB sees them (state UPTODATE = serving under it). */
  readonly learners: ReadonlyArray<{ readonly sid: number; readonly type: PeerType; readonly state: string; readonly synced: boolean }>;
}
