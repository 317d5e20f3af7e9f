import { CONTAINER_EPHEMERAL_OWNER } from '@zk/protocol';

const MASK_64 = (1n << 64n) - 1n;

/**
 * The first session id a server hands out, computed as SessionTrackerImpl.initializeNextSessionId
 * does with Java long arithmetic: `((now << 24) >>> 8) | (serverId << 56)`. The high byte is the
 * server id, the next five bytes are the low 40 bits of the clock, the low two bytes start at zero.
 * The one value that would collide with the container marker (Long.MIN_VALUE) is bumped by one.
 *
 * Returns a signed 64-bit bigint (jute `long`), so server ids >= 128 give negative ids, as in Java.
 */
export function initialSessionId(serverId: number | bigint, nowMs: number | bigint): bigint {
  const now = BigInt.asUintN(64, BigInt(nowMs));
  const sid = BigInt.asUintN(64, BigInt(serverId));
  const clockBits = ((now << 24n) & MASK_64) >> 8n; // `>>> 8` on an unsigned view
  const id = BigInt.asIntN(64, clockBits | ((sid << 56n) & MASK_64));
  return id === CONTAINER_EPHEMERAL_OWNER ? id + 1n : id;
}

/**
 * Hands out session ids for one server: seeded once from the injected clock and the server id,
 * then incremented (AtomicLong.getAndIncrement, wrapping as a Java long would).
 */
export class SessionIdGenerator {
  private nextId: bigint;

  constructor(serverId: number | bigint, nowMs: number | bigint) {
    this.nextId = initialSessionId(serverId, nowMs);
  }

  /** The id the next call to {@link next} returns. */
  peek(): bigint {
    return this.nextId;
  }

  next(): bigint {
    const id = this.nextId;
    this.nextId = BigInt.asIntN(64, id + 1n);
    return id;
  }
}

/** The server id encoded in a session id's high byte (0..255). */
export function serverIdOfSession(sessionId: bigint): number {
  return Number(BigInt.asUintN(64, sessionId) >> 56n);
}

/** Formats a session id as ZooKeeper logs it: `0x` and unpadded lower-case hex of the unsigned value. */
export function formatSessionId(sessionId: bigint): string {
  return '0x' + BigInt.asUintN(64, sessionId).toString(16);
}
