/**
 * How the leader brings one learner up to date: the DIFF / TRUNC / SNAP choice
 * of `LearnerHandler.syncFollower` and `queueCommittedProposals`, as a pure
 * function of the learner's last zxid and the leader's in-memory log tail.
 */
import { counterOf, epochOf, type Zxid } from '@zk/zxid';
import type { LogTail } from './log-tail.js';

export type SyncPlan =
  /** DIFF(leaderSync): send the tail after `from` (the learner's last zxid). */
  | { readonly kind: 'DIFF'; readonly zxid: Zxid; readonly from: Zxid; readonly why: string }
  /** TRUNC(zxid): the learner drops everything after `zxid`, then gets the tail after it. */
  | { readonly kind: 'TRUNC'; readonly zxid: Zxid; readonly from: Zxid; readonly why: string }
  /** SNAP: the learner is too far behind (or diverged across an epoch boundary). */
  | { readonly kind: 'SNAP'; readonly why: string };

/**
 * @param peerLastZxid the learner's last logged zxid (from ACKEPOCH)
 * @param leaderSync the leader's sync point: its last committed zxid once
 *   established, its last logged zxid while establishing (its whole initial
 *   history is about to be committed)
 * @param tail the leader's log tail; entries in (tail.base, leaderSync] are committed
 */
export function planSync(peerLastZxid: Zxid, leaderSync: Zxid, tail: LogTail): SyncPlan {
  const p = peerLastZxid;
  // A zxid with counter 0 names the start of an epoch, not a transaction: the
  // learner has a new leader's initial history and no txn of that epoch.
  const isPeerNewEpochZxid = counterOf(p) === 0;
  // ZooKeeper's maxCommittedLog: the last transaction at or below the sync
  // point (the sync point itself may be `epoch << 32`, which names none).
  const i = tail.indexAfter(leaderSync) - 1;
  const maxCommitted = i < 0 ? tail.base : tail.at(i)!.zxid;

  if (p === leaderSync || p === maxCommitted) {
    return { kind: 'DIFF', zxid: leaderSync, from: p, why: 'in sync' };
  }
  if (p > maxCommitted) {
    if (isPeerNewEpochZxid) return { kind: 'SNAP', why: 'new-epoch zxid ahead of leader log' };
    // The learner has history the leader does not commit: it may have been a
    // leader, or it logged proposals that never reached a quorum.
    return { kind: 'TRUNC', zxid: maxCommitted, from: maxCommitted, why: 'learner ahead of leader' };
  }
  if (p === tail.base) return { kind: 'DIFF', zxid: leaderSync, from: p, why: 'from log base' };
  if (p < tail.base) return { kind: 'SNAP', why: 'learner behind the in-memory log' };

  // tail.base < p < maxCommitted: walk the committed part of the tail
  // (LearnerHandler.queueCommittedProposals).
  if (tail.get(p) !== undefined || isPeerNewEpochZxid) {
    return { kind: 'DIFF', zxid: leaderSync, from: p, why: 'learner within committed log' };
  }
  const j = tail.indexAfter(p);
  const next = tail.at(j)!; // exists: p < maxCommitted, which is in the tail
  const prev = j === 0 ? tail.base : tail.at(j - 1)!.zxid;
  if (epochOf(next.zxid) !== epochOf(p)) {
    // ZooKeeper will not TRUNC across an epoch boundary: the learner may not
    // hold `prev` at all. Fall back to a snapshot.
    return { kind: 'SNAP', why: 'learner diverged across an epoch boundary' };
  }
  return { kind: 'TRUNC', zxid: prev, from: prev, why: 'learner has a txn the leader lacks' };
}
