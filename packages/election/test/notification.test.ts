import { makeZxid } from '@zk/zxid';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import {
  MalformedNotificationError,
  decodeNotification,
  encodeNotification,
  formatEnvelope,
  type Notification,
} from '../src/index.js';

const n: Notification = { state: 'FOLLOWING', leader: 3, zxid: makeZxid(1, 2), electionEpoch: 7, peerEpoch: 1 };

describe('notification wire form', () => {
  it('round-trips through the plain tuple, JSON and msgpackr', () => {
    const wire = encodeNotification(n);
    expect(wire).toEqual([1, 1, 3, 1, 2, 7, 1]);
    expect(decodeNotification(wire)).toEqual(n);
    expect(decodeNotification(JSON.parse(JSON.stringify(wire)))).toEqual(n);
    const packr = new Packr();
    expect(decodeNotification(packr.unpack(packr.pack(wire)))).toEqual(n);
  });

  it('keeps all 64 bits of the zxid and the observer null vote', () => {
    const big: Notification = { ...n, zxid: (1n << 64n) - 1n, peerEpoch: 0xffffffff };
    expect(decodeNotification(encodeNotification(big))).toEqual(big);
    const nul: Notification = { state: 'LOOKING', leader: -1, zxid: 0n, electionEpoch: 1, peerEpoch: -1 };
    expect(decodeNotification(encodeNotification(nul))).toEqual(nul);
  });

  it.each([
    ['not an array', { a: 1 }],
    ['wrong length', [1, 0, 1]],
    ['unknown version', [2, 0, 1, 0, 0, 1, 0]],
    ['unknown state', [1, 4, 1, 0, 0, 1, 0]],
    ['zxid half too large', [1, 0, 1, 2 ** 32, 0, 1, 0]],
    ['fractional epoch', [1, 0, 1, 0, 0, 1.5, 0]],
    ['string field', [1, 0, '1', 0, 0, 1, 0]],
  ])('rejects %s', (_what, wire) => {
    expect(() => decodeNotification(wire)).toThrow(MalformedNotificationError);
  });

  it('formats like the transcripts', () => {
    expect(formatEnvelope({ from: 1, to: 2, msg: n })).toBe(
      '1->2 NOTIFICATION leader=3 zxid=0x100000002 epoch=7 peerEpoch=1 state=FOLLOWING',
    );
  });
});
