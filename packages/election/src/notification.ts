import { formatZxid, type Zxid } from '@zk/zxid';
import { MalformedNotificationError } from './errors.js';
import { SERVER_STATES, type ServerState } from './vote.js';

/**
 * The one message of fast leader election: "I, in this state and this round,
 * back this leader". Fields follow ZooKeeper's `FastLeaderElection.Notification`
 * / `buildMsg`. The sender's sid is not part of the body: as in ZooKeeper,
 * where it comes from the connection handshake (`QuorumCnxManager`), the
 * transport tells the receiver who sent it (`Election.step(from, msg)`).
 * Reconfig data (`version`, `qv`) is not modelled.
 */
export interface Notification {
  /** The sender's state when it sent the message. */
  readonly state: ServerState;
  /** Proposed (or, when not LOOKING, established) leader. */
  readonly leader: number;
  /** Last zxid of the proposed leader. */
  readonly zxid: Zxid;
  /** The sender's logical clock: the election round. */
  readonly electionEpoch: number;
  /** The proposed leader's epoch (`currentEpoch`). */
  readonly peerEpoch: number;
}

/** A notification addressed from one server to another. */
export interface Envelope {
  readonly from: number;
  readonly to: number;
  readonly msg: Notification;
}

/** Version tag of {@link NotificationWire}. */
export const NOTIFICATION_WIRE_VERSION = 1;

/**
 * A compact, plain form of a notification for any serializer (msgpackr, JSON):
 * numbers only, the 64-bit zxid split into two unsigned 32-bit halves so no
 * bigint support is needed on the wire.
 */
export type NotificationWire = readonly [
  version: typeof NOTIFICATION_WIRE_VERSION,
  state: number,
  leader: number,
  zxidHigh: number,
  zxidLow: number,
  electionEpoch: number,
  peerEpoch: number,
];

const U32 = 0xffff_ffffn;

export function encodeNotification(n: Notification): NotificationWire {
  const code = SERVER_STATES.indexOf(n.state);
  if (code < 0) throw new MalformedNotificationError(`unknown state ${String(n.state)}`);
  if (n.zxid < 0n || n.zxid > (1n << 64n) - 1n) throw new MalformedNotificationError(`zxid out of range: ${n.zxid}`);
  return [
    NOTIFICATION_WIRE_VERSION,
    code,
    n.leader,
    Number((n.zxid >> 32n) & U32),
    Number(n.zxid & U32),
    n.electionEpoch,
    n.peerEpoch,
  ];
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

/**
 * Validates and decodes the wire form. Throws {@link MalformedNotificationError}
 * on anything unexpected; the driver should drop such a message (ZooKeeper's
 * WorkerReceiver skips malformed buffers).
 */
export function decodeNotification(wire: unknown): Notification {
  if (!Array.isArray(wire) || wire.length !== 7) throw new MalformedNotificationError('expected a 7-element array');
  const [version, code, leader, hi, lo, electionEpoch, peerEpoch] = wire as unknown[];
  if (version !== NOTIFICATION_WIRE_VERSION) throw new MalformedNotificationError(`unsupported version ${String(version)}`);
  if (!isInt(code, 0, SERVER_STATES.length - 1)) throw new MalformedNotificationError(`bad state ${String(code)}`);
  if (!isInt(leader, -1, Number.MAX_SAFE_INTEGER)) throw new MalformedNotificationError(`bad leader ${String(leader)}`);
  if (!isInt(hi, 0, 0xffff_ffff) || !isInt(lo, 0, 0xffff_ffff)) throw new MalformedNotificationError('bad zxid');
  if (!isInt(electionEpoch, 0, Number.MAX_SAFE_INTEGER)) throw new MalformedNotificationError(`bad electionEpoch ${String(electionEpoch)}`);
  if (!isInt(peerEpoch, -1, 0xffff_ffff)) throw new MalformedNotificationError(`bad peerEpoch ${String(peerEpoch)}`);
  return {
    state: SERVER_STATES[code] as ServerState,
    leader,
    zxid: (BigInt(hi) << 32n) | BigInt(lo),
    electionEpoch,
    peerEpoch,
  };
}

/** `NOTIFICATION leader=3 zxid=0x100000002 epoch=1 peerEpoch=1 state=LOOKING` */
export function formatNotification(n: Notification): string {
  return (
    `NOTIFICATION leader=${n.leader} zxid=${formatZxid(n.zxid)} ` +
    `epoch=${n.electionEpoch} peerEpoch=${n.peerEpoch} state=${n.state}`
  );
}

/** `1->2 NOTIFICATION ...` */
export function formatEnvelope(e: Envelope): string {
  return `${e.from}->${e.to} ${formatNotification(e.msg)}`;
}
