/**
 * A zxid is a 64-bit transaction id: the leader epoch in the high 32 bits and a
 * per-epoch counter in the low 32 bits. It is carried as an unsigned bigint so
 * every value round-trips exactly (JS numbers lose precision past 2^53).
 */
export type Zxid = bigint;

export const ZXID_ZERO: Zxid = 0n;
/** Largest counter value an epoch can use; the next proposal needs a new epoch. */
export const COUNTER_MAX = 0xffff_ffffn;
export const EPOCH_MAX = 0xffff_ffffn;

const MASK_64 = (1n << 64n) - 1n;

export function makeZxid(epoch: number | bigint, counter: number | bigint): Zxid {
  const e = BigInt(epoch);
  const c = BigInt(counter);
  if (e < 0n || e > EPOCH_MAX) throw new RangeError(`zxid epoch out of range: ${e}`);
  if (c < 0n || c > COUNTER_MAX) throw new RangeError(`zxid counter out of range: ${c}`);
  return (e << 32n) | c;
}

export function epochOf(zxid: Zxid): number {
  return Number((zxid >> 32n) & EPOCH_MAX);
}

export function counterOf(zxid: Zxid): number {
  return Number(zxid & COUNTER_MAX);
}

/** True when the counter is exhausted and the leader must move to a new epoch. */
export function isCounterExhausted(zxid: Zxid): boolean {
  return (zxid & COUNTER_MAX) === COUNTER_MAX;
}

/** The next zxid in the same epoch; throws when the counter would roll over. */
export function nextZxid(zxid: Zxid): Zxid {
  if (isCounterExhausted(zxid)) {
    throw new RangeError(`zxid counter exhausted at ${formatZxid(zxid)}: a new epoch is required`);
  }
  return zxid + 1n;
}

export function compareZxid(a: Zxid, b: Zxid): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxZxid(a: Zxid, b: Zxid): Zxid {
  return a > b ? a : b;
}

/** Formats as ZooKeeper prints zxids: `0x` followed by lower-case hex, no padding. */
export function formatZxid(zxid: Zxid): string {
  return '0x' + (zxid & MASK_64).toString(16);
}

/** Parses `0x…` hex (as in ZooKeeper log names and 4lw output) or a decimal string. */
export function parseZxid(text: string): Zxid {
  const t = text.trim();
  if (!/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(t)) throw new SyntaxError(`not a zxid: ${JSON.stringify(text)}`);
  const v = BigInt(t);
  if (v > MASK_64) throw new RangeError(`zxid out of 64-bit range: ${text}`);
  return v;
}

/** Reinterprets a signed 64-bit value (as read from the wire) as an unsigned zxid. */
export function zxidFromSigned(v: bigint): Zxid {
  return BigInt.asUintN(64, v);
}

/** The signed 64-bit form of a zxid, for writing as a jute long. */
export function zxidToSigned(zxid: Zxid): bigint {
  return BigInt.asIntN(64, zxid);
}
