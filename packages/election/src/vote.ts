import { formatZxid, type Zxid } from '@zk/zxid';

/**
 * A server's role as ZooKeeper reports it (`QuorumPeer.ServerState`). The
 * array order is the ordinal ZooKeeper writes on the wire.
 */
export const SERVER_STATES = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

/** The state a finished election leaves a server in. */
export type DecidedState = Exclude<ServerState, 'LOOKING'>;

/**
 * Whom a server backs, with the credentials that rank the candidate:
 * the candidate's epoch (`currentEpoch`), then its last zxid, then its sid.
 */
export interface Vote {
  readonly leader: number;
  readonly zxid: Zxid;
  readonly peerEpoch: number;
}

/** A vote stamped with the election round (logical clock) it was cast in. */
export interface RoundVote extends Vote {
  readonly electionEpoch: number;
}

/** A vote as recorded from a peer's notification, with the peer's state. */
export interface RecordedVote extends RoundVote {
  readonly state: ServerState;
}

/** Sentinel leader id of {@link NULL_VOTE}; never a real server id. */
export const NO_LEADER = -1;

/**
 * The vote an observer starts with: below every real vote (its epoch is -1),
 * so the first vote it hears from a voter replaces it. ZooKeeper uses
 * Long.MIN_VALUE for the three fields (`getInitId`, `getInitLastLoggedZxid`,
 * `getPeerEpoch` in FastLeaderElection.java).
 */
export const NULL_VOTE: Vote = Object.freeze({ leader: NO_LEADER, zxid: 0n, peerEpoch: -1 });

/**
 * Orders votes by peerEpoch, then zxid, then leader sid. It does not look at
 * weights; {@link isBetterVote} does.
 */
export function compareVotes(a: Vote, b: Vote): -1 | 0 | 1 {
  if (a.peerEpoch !== b.peerEpoch) return a.peerEpoch > b.peerEpoch ? 1 : -1;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid ? 1 : -1;
  if (a.leader !== b.leader) return a.leader > b.leader ? 1 : -1;
  return 0;
}

/**
 * ZooKeeper's `totalOrderPredicate`: true when `candidate` strictly beats
 * `current`. A candidate whose leader has weight 0 never wins.
 */
export function isBetterVote(
  candidate: Vote,
  current: Vote,
  weightOf: { weight(sid: number): number },
): boolean {
  if (weightOf.weight(candidate.leader) === 0) return false;
  return compareVotes(candidate, current) > 0;
}

/**
 * Vote equality as ZooKeeper counts acknowledgements (`Vote.equals`). When
 * either side is LOOKING, every field must match, including the round. Between
 * two votes from servers that are out of the election (FOLLOWING / LEADING),
 * only the leader and peerEpoch are compared: their zxid and round can
 * legitimately differ (ZOOKEEPER-1805, ZOOKEEPER-1732).
 */
export function sameVote(a: RecordedVote, b: RecordedVote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return (
      a.leader === b.leader &&
      a.zxid === b.zxid &&
      a.electionEpoch === b.electionEpoch &&
      a.peerEpoch === b.peerEpoch
    );
  }
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}

/** Strips any extra fields, keeping only the ranked part of a vote. */
export function voteOf(v: Vote): Vote {
  return { leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch };
}

/** `(leader=3 zxid=0x100000002 peerEpoch=1)`, with `epoch=` added for a round vote. */
export function formatVote(v: Vote | RoundVote): string {
  const round = 'electionEpoch' in v ? ` epoch=${v.electionEpoch}` : '';
  return `(leader=${v.leader} zxid=${formatZxid(v.zxid)}${round} peerEpoch=${v.peerEpoch})`;
}
