import { describe, expect, it } from 'vitest';
import {
  JuteDecodeError,
  JuteReader,
  JuteWriter,
  decodeMultiRequest,
  decodeMultiResponse,
  encodeMultiRequest,
  encodeMultiResponse,
  readMultiResponse,
  type MultiOp,
  type MultiResult,
} from '../src/index.js';
import { STAT, encode, hex, plain, unhex, utf8 } from './helpers.js';
import { Stat } from '../src/index.js';

const END = 'ffffffff' + '01' + 'ffffffff';
const statHex = hex(encode(Stat, STAT));

describe('multi request (MultiOperationRecord)', () => {
  it('writes MultiHeader {type, false, -1} + record per op, then {-1, true, -1}', () => {
    const ops: MultiOp[] = [
      { type: 2, req: { path: '/a', version: 5 } },
      { type: 13, req: { path: '/b', version: -1 } },
    ];
    expect(hex(encodeMultiRequest(ops))).toBe(
      '00000002' + '00' + 'ffffffff' + '000000022f61' + '00000005' + '0000000d' + '00' + 'ffffffff' + '000000022f62' + 'ffffffff' + END,
    );
  });

  it('an empty multi is just the end marker', () => {
    expect(hex(encodeMultiRequest([]))).toBe(END);
    expect(decodeMultiRequest(unhex(END))).toEqual([]);
  });

  it('round-trips every op kind, including multiRead reads', () => {
    const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const ops: MultiOp[] = [
      { type: 1, req: { path: '/c', data: utf8('x'), acl, flags: 0 } },
      { type: 15, req: { path: '/c2', data: null, acl, flags: 2 } },
      { type: 19, req: { path: '/cc', data: null, acl, flags: 4 } },
      { type: 21, req: { path: '/t', data: null, acl, flags: 5, ttl: 100 } },
      { type: 2, req: { path: '/d', version: -1 } },
      { type: 5, req: { path: '/s', data: utf8('y'), version: 1 } },
      { type: 13, req: { path: '/k', version: 0 } },
      { type: 4, req: { path: '/g', watch: false } },
      { type: 8, req: { path: '/l', watch: false } },
    ];
    expect(plain(decodeMultiRequest(encodeMultiRequest(ops)))).toEqual(plain(ops));
  });

  it('rejects an unknown op type and a missing end marker', () => {
    expect(() => decodeMultiRequest(unhex('00000009' + '00' + 'ffffffff'))).toThrow(/invalid multi op type 9/);
    expect(() => decodeMultiRequest(unhex('00000002' + '00' + 'ffffffff' + '000000022f61' + '00000005'))).toThrow(JuteDecodeError);
  });
});

describe('multi response (MultiResponse)', () => {
  it('writes each result kind exactly as MultiResponse.serialize does', () => {
    const results: MultiResult[] = [
      { type: 1, path: '/a' },
      { type: 15, path: '/b', stat: STAT },
      { type: 2 },
      { type: 13 },
      { type: 5, stat: STAT },
      { type: -1, err: -101 },
    ];
    expect(hex(encodeMultiResponse(results))).toBe(
      '00000001' + '00' + '00000000' + '000000022f61' +
        '0000000f' + '00' + '00000000' + '000000022f62' + statHex +
        '00000002' + '00' + '00000000' +
        '0000000d' + '00' + '00000000' +
        '00000005' + '00' + '00000000' + statHex +
        'ffffffff' + '00' + 'ffffff9b' + 'ffffff9b' +
        END,
    );
  });

  it('writes createContainer / createTTL results as create2 (15), like FinalRequestProcessor', () => {
    const bytes = encodeMultiResponse([
      { type: 19, path: '/c', stat: STAT },
      { type: 21, path: '/t', stat: STAT },
    ]);
    const back = decodeMultiResponse(bytes);
    expect(back.map((r) => r.type)).toEqual([15, 15]);
  });

  it('writes multiRead results: getData and getChildren, errors per op', () => {
    const results: MultiResult[] = [
      { type: 4, data: utf8('v'), stat: STAT },
      { type: 8, children: ['x', 'y'] },
      { type: -1, err: -101 },
      { type: 4, data: null, stat: STAT },
    ];
    const bytes = encodeMultiResponse(results);
    expect(hex(bytes).startsWith('00000004' + '00' + '00000000' + '0000000176' + statHex + '00000008' + '00' + '00000000' + '00000002')).toBe(true);
    expect(plain(decodeMultiResponse(bytes))).toEqual(plain(results));
  });

  it('decodes a failed multi (ZooKeeper: ops before the failure report err 0, after it -2)', () => {
    const results: MultiResult[] = [
      { type: -1, err: 0 },
      { type: -1, err: -110 },
      { type: -1, err: -2 },
    ];
    expect(decodeMultiResponse(encodeMultiResponse(results))).toEqual(results);
  });

  it('reads the end marker and leaves the reader right after it', () => {
    const w = new JuteWriter();
    w.writeRaw(encodeMultiResponse([{ type: 2 }]));
    w.writeInt(0x12345678);
    const r = new JuteReader(w.finish());
    expect(readMultiResponse(r)).toEqual([{ type: 2 }]);
    expect(r.readInt()).toBe(0x12345678);
  });

  it('rejects unknown result types', () => {
    expect(() => decodeMultiResponse(unhex('00000063' + '00' + '00000000'))).toThrow(/invalid multi result type 99/);
  });
});
