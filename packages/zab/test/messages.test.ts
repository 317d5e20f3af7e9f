/**
 * Every ZAB message is a plain object that msgpackr round-trips: zxids stay
 * bigint, payloads stay bytes. With the pinned msgpackr 2.1.4 a bigint is
 * always written as a 64-bit int and read back as bigint (`int64AsType`
 * defaults to 'bigint'; 'number' or 'auto' would turn small zxids into numbers).
 * There is no `useBigInt64` option in 2.x.
 */
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { PACKET_TYPE, formatMessage, packetTypeOf, type ZabMessage } from '../src/index.js';

const z = (e: number, c: number): bigint => (BigInt(e) << 32n) | BigInt(c);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

const all: ZabMessage[] = [
  { type: 'FOLLOWERINFO', acceptedEpoch: 3, lastZxid: z(3, 9), protocolVersion: 0x10000 },
  { type: 'OBSERVERINFO', acceptedEpoch: 0, lastZxid: 0n, protocolVersion: 0x10000 },
  { type: 'LEADERINFO', zxid: z(4, 0), protocolVersion: 0x10000 },
  { type: 'ACKEPOCH', currentEpoch: -1, lastZxid: z(0xffffffff, 0xfffffffe) },
  { type: 'DIFF', zxid: z(3, 9) },
  { type: 'TRUNC', zxid: z(3, 7) },
  { type: 'SNAP', zxid: z(3, 9), snapshot: new Uint8Array([0, 1, 2, 255]) },
  { type: 'NEWLEADER', zxid: z(4, 0) },
  { type: 'ACK', zxid: z(4, 1) },
  { type: 'UPTODATE' },
  { type: 'PROPOSAL', zxid: z(4, 1), payload: bytes('create /a') },
  { type: 'COMMIT', zxid: z(4, 1) },
  { type: 'INFORM', zxid: z(4, 1), payload: bytes('create /a') },
  { type: 'PING', zxid: z(4, 1), payload: null },
  { type: 'PING', zxid: z(4, 1), payload: bytes('touches') },
  { type: 'REQUEST', payload: bytes('setData /a') },
  { type: 'SYNC', id: 42, zxid: z(4, 1) },
];

function normalise(v: unknown): unknown {
  // msgpackr hands back Buffers for bin; compare as plain byte arrays.
  if (v instanceof Uint8Array) return Array.from(v);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}

describe('messages', () => {
  const packr = new Packr({ useRecords: false, int64AsType: 'bigint' });

  for (const msg of all) {
    it(`${formatMessage(msg)} round-trips through msgpackr`, () => {
      const back = packr.unpack(packr.pack(msg)) as ZabMessage;
      expect(normalise(back)).toEqual(normalise(msg));
      const got = back as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(msg)) if (typeof v === 'bigint') expect(typeof got[k]).toBe('bigint');
    });
  }

  it('uses ZooKeeper\'s packet type codes (Leader.java)', () => {
    expect(PACKET_TYPE).toMatchObject({
      REQUEST: 1, PROPOSAL: 2, ACK: 3, COMMIT: 4, PING: 5, REVALIDATE: 6, SYNC: 7, INFORM: 8, COMMITANDACTIVATE: 9,
      NEWLEADER: 10, FOLLOWERINFO: 11, UPTODATE: 12, DIFF: 13, TRUNC: 14, SNAP: 15, OBSERVERINFO: 16, LEADERINFO: 17,
      ACKEPOCH: 18, INFORMANDACTIVATE: 19,
    });
    expect(all.map(packetTypeOf)).toEqual([11, 16, 17, 18, 13, 14, 15, 10, 3, 12, 2, 4, 8, 5, 5, 1, 7]);
  });
});
