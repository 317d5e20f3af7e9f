/**
 * The leader's view of one connected learner (ZooKeeper's `LearnerHandler`,
 * one per connection, without the thread).
 */
import type { Zxid } from '@zk/zxid';
import type { LearnerType } from './config.js';

export type HandlerState =
  /** FOLLOWERINFO/OBSERVERINFO received; waiting until the new epoch is fixed and durable. */
  | 'FOLLOWERINFO'
  /** LEADERINFO sent; waiting for ACKEPOCH. */
  | 'LEADERINFO'
  /** ACKEPOCH received; waiting for a quorum of epoch acks before syncing. */
  | 'ACKEPOCH'
  /** SNAP chosen; waiting for the driver's snapshot. */
  | 'SNAP_WAIT'
  /** Sync stream and NEWLEADER queued; waiting for the NEWLEADER ACK. */
  | 'NEWLEADER'
  /** NEWLEADER acked; waiting for the leader to be established. */
  | 'ACKED'
  /** UPTODATE sent: in broadcast. */
  | 'UPTODATE';

export class LearnerHandler {
  state: HandlerState = 'FOLLOWERINFO';
  /** (currentEpoch, lastZxid) from ACKEPOCH. */
  summary: { currentEpoch: number; lastZxid: Zxid } | null = null;
  /** Receives the broadcast stream (PROPOSAL/COMMIT, or INFORM for observers): set once its sync stream is queued (`Leader.startForwarding`). */
  forwarding = false;
  /** The sync mode chosen for it, for status output. */
  syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null = null;

  constructor(
    readonly sid: number,
    readonly type: LearnerType,
    readonly acceptedEpoch: number,
    /** Tick after which the learner counts as not synced (`tickOfNextAckDeadline`). */
    public deadline: number,
  ) {}

  get participant(): boolean {
    return this.type === 'participant';
  }
}
