/**
 * ZAB peer messages. Names and numeric codes are ZooKeeper's quorum packet
 * types (`quorum/Leader.java`, the `static final int` constants): the wire
 * framing above this package may use `PACKET_TYPE` as the type byte.
 *
 * Every message is a plain object: numbers, bigint zxids and Uint8Array
 * payloads only, so msgpackr can encode it (with `useBigInt64: true`).
 */
import { formatZxid, type Zxid } from '@zk/zxid';

/** ZooKeeper's quorum packet type codes (`Leader.java`). */
export const PACKET_TYPE = {
  REQUEST: 1,
  PROPOSAL: 2,
  ACK: 3,
  COMMIT: 4,
  PING: 5,
  REVALIDATE: 6,
  SYNC: 7,
  INFORM: 8,
  COMMITANDACTIVATE: 9,
  NEWLEADER: 10,
  FOLLOWERINFO: 11,
  UPTODATE: 12,
  DIFF: 13,
  TRUNC: 14,
  SNAP: 15,
  OBSERVERINFO: 16,
  LEADERINFO: 17,
  ACKEPOCH: 18,
  INFORMANDACTIVATE: 19,
} as const;

export type PacketTypeName = keyof typeof PACKET_TYPE;

/** The ZAB 1.0 protocol version a learner and leader announce (`0x10000`). */
export const ZAB_PROTOCOL_VERSION = 0x10000;

/** Learner -> leader, first packet of discovery (`Learner.registerWithLeader`). */
export interface FollowerInfoMessage {
  readonly type: 'FOLLOWERINFO' | 'OBSERVERINFO';
  /** The learner's acceptedEpoch (ZooKeeper sends it as the zxid `acceptedEpoch << 32`). */
  readonly acceptedEpoch: number;
  /** The learner's last logged zxid (informational; the binding value comes in ACKEPOCH). */
  readonly lastZxid: Zxid;
  readonly protocolVersion: number;
}

/** Leader -> learner: the new epoch, as the zxid `newEpoch << 32` (`LearnerHandler.run`). */
export interface LeaderInfoMessage {
  readonly type: 'LEADERINFO';
  readonly zxid: Zxid;
  readonly protocolVersion: number;
}

/**
 * Learner -> leader: acknowledges the new epoch and states the learner's
 * currentEpoch and last logged zxid. `currentEpoch` is -1 when the learner had
 * already accepted this epoch before (the ack then does not count towards the
 * epoch quorum, as in `Learner.registerWithLeader`).
 */
export interface AckEpochMessage {
  readonly type: 'ACKEPOCH';
  readonly currentEpoch: number;
  readonly lastZxid: Zxid;
}

/** Leader -> learner: the proposals that follow are a diff on top of the learner's log. `zxid` is the leader's last committed zxid. */
export interface DiffMessage {
  readonly type: 'DIFF';
  readonly zxid: Zxid;
}

/** Leader -> learner: drop every log entry after `zxid`, then apply what follows. */
export interface TruncMessage {
  readonly type: 'TRUNC';
  readonly zxid: Zxid;
}

/** Leader -> learner: replace the state machine with this snapshot, taken at `zxid`. */
export interface SnapMessage {
  readonly type: 'SNAP';
  readonly zxid: Zxid;
  readonly snapshot: Uint8Array;
}

/** Leader -> learner: end of the sync stream; `zxid` is `newEpoch << 32`. */
export interface NewLeaderMessage {
  readonly type: 'NEWLEADER';
  readonly zxid: Zxid;
}

/** Learner -> leader: proposal `zxid` is durable, or (counter 0) NEWLEADER is acknowledged. */
export interface AckMessage {
  readonly type: 'ACK';
  readonly zxid: Zxid;
}

/** Leader -> learner: the learner may start serving clients. */
export interface UpToDateMessage {
  readonly type: 'UPTODATE';
}

/** Leader -> follower: log this transaction. */
export interface ProposalMessage {
  readonly type: 'PROPOSAL';
  readonly zxid: Zxid;
  readonly payload: Uint8Array;
}

/** Leader -> follower: every proposal up to and including `zxid` is committed. */
export interface CommitMessage {
  readonly type: 'COMMIT';
  readonly zxid: Zxid;
}

/** Leader -> observer: a committed transaction (proposal and commit in one). */
export interface InformMessage {
  readonly type: 'INFORM';
  readonly zxid: Zxid;
  readonly payload: Uint8Array;
}

/**
 * PING. Leader -> learner carries the leader's last proposed zxid; the
 * learner's reply echoes it and carries the opaque session touches
 * (`Learner.ping`, `LearnerHandler.run` case PING).
 */
export interface PingMessage {
  readonly type: 'PING';
  readonly zxid: Zxid;
  readonly payload: Uint8Array | null;
}

/** Learner -> leader: a client write forwarded to the leader (opaque). */
export interface RequestMessage {
  readonly type: 'REQUEST';
  readonly payload: Uint8Array;
}

/**
 * SYNC. Learner -> leader: `id` names the learner's pending sync. Leader ->
 * learner: the answer, sent once every proposal the leader had issued when the
 * request arrived is committed; `zxid` is the leader's last committed zxid at
 * that moment, which the learner must have delivered before the read runs.
 */
export interface SyncMessage {
  readonly type: 'SYNC';
  readonly id: number;
  readonly zxid: Zxid;
}

export type ZabMessage =
  | FollowerInfoMessage
  | LeaderInfoMessage
  | AckEpochMessage
  | DiffMessage
  | TruncMessage
  | SnapMessage
  | NewLeaderMessage
  | AckMessage
  | UpToDateMessage
  | ProposalMessage
  | CommitMessage
  | InformMessage
  | PingMessage
  | RequestMessage
  | SyncMessage;

export type ZabMessageType = ZabMessage['type'];

/** The ZooKeeper packet code of a message. */
export function packetTypeOf(msg: ZabMessage): number {
  return PACKET_TYPE[msg.type];
}

function bytes(b: Uint8Array | null): string {
  if (b === null) return '-';
  let printable = b.length > 0;
  for (const c of b) if (c < 0x20 || c > 0x7e) printable = false;
  if (printable) return String.fromCharCode(...b);
  return `<${b.length} bytes>`;
}

/** One-line human form, used by logs and transcript tests: `PROPOSAL zxid=0x100000001 a`. */
export function formatMessage(msg: ZabMessage): string {
  switch (msg.type) {
    case 'FOLLOWERINFO':
    case 'OBSERVERINFO':
      return `${msg.type} acceptedEpoch=${msg.acceptedEpoch} lastZxid=${formatZxid(msg.lastZxid)}`;
    case 'LEADERINFO':
      return `LEADERINFO zxid=${formatZxid(msg.zxid)}`;
    case 'ACKEPOCH':
      return `ACKEPOCH currentEpoch=${msg.currentEpoch} lastZxid=${formatZxid(msg.lastZxid)}`;
    case 'DIFF':
    case 'TRUNC':
    case 'NEWLEADER':
    case 'ACK':
    case 'COMMIT':
      return `${msg.type} zxid=${formatZxid(msg.zxid)}`;
    case 'SNAP':
      return `SNAP zxid=${formatZxid(msg.zxid)} ${bytes(msg.snapshot)}`;
    case 'UPTODATE':
      return 'UPTODATE';
    case 'PROPOSAL':
    case 'INFORM':
      return `${msg.type} zxid=${formatZxid(msg.zxid)} ${bytes(msg.payload)}`;
    case 'PING':
      return msg.payload === null || msg.payload.length === 0
        ? `PING zxid=${formatZxid(msg.zxid)}`
        : `PING zxid=${formatZxid(msg.zxid)} ${bytes(msg.payload)}`;
    case 'REQUEST':
      return `REQUEST ${bytes(msg.payload)}`;
    case 'SYNC':
      return `SYNC id=${msg.id} zxid=${formatZxid(msg.zxid)}`;
  }
}
