import type { QuorumVerifier } from './quorum.js';

export type LearnerType = 'participant' | 'observer';

export interface ZabConfig {
  /** This server's id (myid). */
  readonly sid: number;
  /** Quorum math; only participants are ever put in the sets it sees. */
  readonly quorum: QuorumVerifier;
  /** A participant can lead and follow; an observer only observes. Default participant. */
  readonly learnerType?: LearnerType;
  /**
   * Ticks allowed for discovery and synchronisation (ZooKeeper `initLimit`):
   * a leader that has not established its epoch, or a learner that hears
   * nothing from its leader during discovery/sync, within this many ticks goes
   * back to LOOKING.
   */
  readonly initLimit: number;
  /**
   * Ticks allowed between messages once in broadcast (ZooKeeper `syncLimit`):
   * a leader that does not hear from a quorum, or a learner that does not hear
   * from its leader, within this many ticks goes back to LOOKING.
   */
  readonly syncLimit: number;
  /**
   * How many committed transactions to keep in memory for DIFF sync
   * (ZooKeeper `zookeeper.commitLogCount`, default 500). A learner further
   * behind gets SNAP.
   */
  readonly commitLogCount?: number;
  /**
   * TESTING ONLY: the counter the leader starts a new epoch at (ZooKeeper's
   * `zookeeper.testingonly.initialZxid`), to reach counter exhaustion quickly.
   */
  readonly testingInitialCounter?: number;
}

export interface ResolvedConfig {
  readonly sid: number;
  readonly quorum: QuorumVerifier;
  readonly learnerType: LearnerType;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly commitLogCount: number;
  readonly testingInitialCounter: number;
}

export const DEFAULT_COMMIT_LOG_COUNT = 500;

export function resolveConfig(c: ZabConfig): ResolvedConfig {
  const posInt = (v: number, what: string): number => {
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`ZabConfig.${what} must be a positive integer, got ${v}`);
    return v;
  };
  if (!Number.isSafeInteger(c.sid) || c.sid < 0) throw new RangeError(`ZabConfig.sid must be a non-negative integer, got ${c.sid}`);
  const initial = c.testingInitialCounter ?? 0;
  if (!Number.isSafeInteger(initial) || initial < 0 || initial >= 0xffffffff) {
    throw new RangeError(`ZabConfig.testingInitialCounter out of range: ${initial}`);
  }
  return {
    sid: c.sid,
    quorum: c.quorum,
    learnerType: c.learnerType ?? 'participant',
    initLimit: posInt(c.initLimit, 'initLimit'),
    syncLimit: posInt(c.syncLimit, 'syncLimit'),
    commitLogCount: posInt(c.commitLogCount ?? DEFAULT_COMMIT_LOG_COUNT, 'commitLogCount'),
    testingInitialCounter: initial,
  };
}
