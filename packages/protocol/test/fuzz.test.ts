// Malformed input must surface as JuteDecodeError (or decode to something), never as a RangeError
// or TypeError escaping from DataView / TextDecoder / array allocation.
import { describe, expect, it } from 'vitest';
import {
  JuteDecodeError,
  JuteReader,
  JuteWriter,
  ConnectRequest,
  decodeRequestBody,
  decodeResponseBody,
  decodeTxnEntry,
  encodeRequest,
  encodeTxnEntry,
  readRequestHeader,
  responseCodec,
  writeReply,
  type ClientOpCode,
} from '../src/index.js';
import { STAT, utf8 } from './helpers.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const kind = rnd();
  if (kind < 0.5) {
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    return b;
  }
  if (kind < 0.75) return b.subarray(0, Math.floor(rnd() * b.length));
  // splat an extreme int somewhere
  const at = Math.floor(rnd() * Math.max(1, b.length - 4));
  const v = [0x7fffffff, -1, -2, 0x80000000, 0x00100000][Math.floor(rnd() * 5)]!;
  new DataView(b.buffer).setInt32(Math.min(at, Math.max(0, b.length - 4)), v | 0);
  return b;
}

function onlyDecodeErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof JuteDecodeError)) throw e;
  }
}

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

describe('fuzz: mutated frames only ever raise JuteDecodeError', () => {
  it('client requests', () => {
    const rnd = prng(1);
    const samples: Array<[ClientOpCode, unknown]> = [
      [1, { path: '/a/b', data: utf8('data'), acl, flags: 3 }],
      [5, { path: '/a', data: utf8('x'.repeat(40)), version: 2 }],
      [14, [{ type: 1, req: { path: '/m', data: null, acl, flags: 0 } }, { type: 2, req: { path: '/m', version: 0 } }]],
      [105, { relativeZxid: 5n, dataWatches: ['/a', '/b'], existWatches: ['/c'], childWatches: [], persistentWatches: [], persistentRecursiveWatches: ['/'] }],
      [7, { path: '/a', acl, version: 1 }],
      [100, { type: 0, scheme: 'digest', auth: utf8('a:b') }],
    ];
    for (const [type, req] of samples) {
      const w = new JuteWriter();
      encodeRequest(w, 1, type, req as never);
      const frame = w.finish().subarray(4);
      for (let i = 0; i < 2000; i++) {
        const m = mutate(frame, rnd);
        onlyDecodeErrors(() => {
          const r = new JuteReader(m);
          const h = readRequestHeader(r);
          return decodeRequestBody(h.type, r);
        });
      }
    }
  });

  it('server replies', () => {
    const rnd = prng(2);
    const w = new JuteWriter();
    writeReply(w, 1, 1n, 0, responseCodec(22)!, [
      { type: 4, data: utf8('v'), stat: STAT },
      { type: 8, children: ['a', 'b'] },
      { type: -1, err: -101 },
    ]);
    const frame = w.finish().subarray(4);
    for (let i = 0; i < 5000; i++) {
      const m = mutate(frame, rnd);
      onlyDecodeErrors(() => {
        const r = new JuteReader(m);
        r.readInt();
        r.readLong();
        r.readInt();
        return decodeResponseBody(22, r);
      });
    }
  });

  it('handshakes and txn entries', () => {
    const rnd = prng(3);
    const w = new JuteWriter();
    ConnectRequest.write(w, { protocolVersion: 0, lastZxidSeen: 1n, timeOut: 1, sessionId: 2n, passwd: new Uint8Array(16), readOnly: false });
    const hs = w.finish();
    const txn = encodeTxnEntry({
      header: { clientId: 1n, cxid: 1, zxid: 1n, time: 1, type: 14 },
      txn: { type: 14, txn: { txns: [{ type: 1, txn: { path: '/x', data: utf8('d'), acl, ephemeral: false, parentCVersion: 0 } }, { type: -1, txn: { err: -2 } }] } },
    });
    for (let i = 0; i < 5000; i++) {
      onlyDecodeErrors(() => ConnectRequest.read(new JuteReader(mutate(hs, rnd))));
      onlyDecodeErrors(() => decodeTxnEntry(mutate(txn, rnd)));
    }
    expect(true).toBe(true);
  });
});
