import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  FrameDecoder,
  GetDataResponse,
  JuteReader,
  JuteWriter,
  OpCode,
  Xid,
  UnknownOpCodeError,
  decodeRequestBody,
  decodeResponseBody,
  encodeReply,
  encodeRequest,
  readReplyHeader,
  readRequestHeader,
  requestCodec,
  responseCodec,
  writeNotification,
  writeReply,
  type ClientRequest,
} from '../src/index.js';
import { STAT, encode, hex, plain, unhex, utf8 } from './helpers.js';
import { Stat } from '../src/index.js';

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

/** One request per opcode a 3.8 client can send. */
const REQUESTS: ClientRequest[] = [
  { type: 1, req: { path: '/a', data: utf8('x'), acl, flags: 0 } },
  { type: 15, req: { path: '/a', data: null, acl, flags: 1 } },
  { type: 19, req: { path: '/c', data: null, acl, flags: 4 } },
  { type: 21, req: { path: '/t', data: null, acl, flags: 5, ttl: 1000 } },
  { type: 2, req: { path: '/a', version: -1 } },
  { type: 3, req: { path: '/a', watch: true } },
  { type: 4, req: { path: '/a', watch: false } },
  { type: 5, req: { path: '/a', data: utf8('y'), version: 0 } },
  { type: 6, req: { path: '/a' } },
  { type: 7, req: { path: '/a', acl, version: 0 } },
  { type: 8, req: { path: '/', watch: false } },
  { type: 12, req: { path: '/', watch: true } },
  { type: 9, req: { path: '/a' } },
  { type: 13, req: { path: '/a', version: 1 } },
  { type: 14, req: [{ type: 2, req: { path: '/a', version: -1 } }] },
  { type: 22, req: [{ type: 4, req: { path: '/a', watch: false } }, { type: 8, req: { path: '/', watch: false } }] },
  { type: 16, req: { joiningServers: null, leavingServers: '3', newMembers: null, curConfigId: -1n } },
  { type: 17, req: { path: '/a', type: 2 } },
  { type: 18, req: { path: '/a', type: 3 } },
  { type: 100, req: { type: 0, scheme: 'digest', auth: utf8('u:p') } },
  { type: 101, req: { relativeZxid: 1n, dataWatches: ['/a'], existWatches: [], childWatches: [] } },
  { type: 105, req: { relativeZxid: 1n, dataWatches: [], existWatches: [], childWatches: [], persistentWatches: ['/p'], persistentRecursiveWatches: [] } },
  { type: 102, req: { token: utf8('t') } },
  { type: 103, req: { prefixPath: '/' } },
  { type: 104, req: { path: '/' } },
  { type: 106, req: { path: '/w', mode: 1 } },
  { type: 107, req: null },
  { type: 11, req: null },
  { type: -11, req: null },
];

describe('client requests', () => {
  for (const request of REQUESTS) {
    it(`opcode ${request.type}: encodeRequest -> frame -> readRequestHeader -> decodeRequestBody`, () => {
      const w = new JuteWriter(8);
      encodeRequest(w, 42, request.type, request.req as never);
      const fd = new FrameDecoder();
      fd.push(w.finish());
      const frame = fd.next()!;
      const r = new JuteReader(frame);
      expect(readRequestHeader(r)).toEqual({ xid: 42, type: request.type });
      expect(plain(decodeRequestBody(request.type, r))).toEqual(plain(request));
      expect(r.atEnd).toBe(true);
    });
  }

  it('bodiless requests are an 8-byte header (ping = xid -2, type 11)', () => {
    const w = new JuteWriter();
    encodeRequest(w, Xid.PING, OpCode.ping, null);
    expect(hex(w.view())).toBe('00000008' + 'fffffffe' + '0000000b');
  });

  it('getData request frame, byte for byte', () => {
    const w = new JuteWriter();
    encodeRequest(w, 1, OpCode.getData, { path: '/a', watch: true });
    expect(hex(w.view())).toBe('0000000f' + '00000001' + '00000004' + '000000022f61' + '01');
  });

  it('throws UnknownOpCodeError for opcodes a client may not send', () => {
    for (const op of [0, 10, 20, -10, -1, 999]) {
      expect(requestCodec(op)).toBeUndefined();
      expect(() => decodeRequestBody(op, new JuteReader(unhex('')))).toThrow(UnknownOpCodeError);
    }
    try {
      decodeRequestBody(20, new JuteReader(unhex('')));
    } catch (e) {
      expect((e as UnknownOpCodeError).opCode).toBe(20);
    }
  });

  it('malformed bodies raise JuteDecodeError naming the field', () => {
    expect(() => decodeRequestBody(OpCode.getData, new JuteReader(unhex('000000052f')))).toThrow(/GetDataRequest\.path/);
    expect(() => decodeRequestBody(OpCode.create, new JuteReader(unhex('000000022f61' + 'fffffff0')))).toThrow(/CreateRequest\.data/);
  });
});

describe('server replies', () => {
  it('writeReply writes length + ReplyHeader + body in one pass', () => {
    const w = new JuteWriter();
    writeReply(w, 7, 0x100000002n, 0, GetDataResponse, { data: utf8('hi'), stat: STAT });
    expect(hex(w.view())).toBe(
      (16 + 4 + 2 + 68).toString(16).padStart(8, '0') + '00000007' + '0000000100000002' + '00000000' + '000000026869' + hex(encode(Stat, STAT)),
    );
  });

  it('error replies are a bare header', () => {
    const w = new JuteWriter();
    encodeReply(w, { xid: 3, zxid: 5n, err: ErrorCode.NONODE });
    expect(hex(w.view())).toBe('00000010' + '00000003' + '0000000000000005' + 'ffffff9b');
  });

  it('notifications use xid -1, zxid -1, err 0 then a WatcherEvent', () => {
    const w = new JuteWriter();
    writeNotification(w, { type: 3, state: 3, path: '/a' });
    expect(hex(w.view())).toBe('0000001e' + 'ffffffff' + 'ffffffffffffffff' + '00000000' + '00000003' + '00000003' + '000000022f61');
  });

  it('a client decodes replies by the opcode it remembered for the xid', () => {
    const w = new JuteWriter();
    writeReply(w, 9, 1n, 0, responseCodec(OpCode.create2)!, { path: '/a', stat: STAT });
    writeReply(w, 10, 1n, ErrorCode.NODEEXISTS);
    writeReply(w, 11, 1n, 0, responseCodec(OpCode.multi)!, [{ type: 2 }]);
    writeReply(w, 12, 1n, 0, responseCodec(OpCode.addWatch)!, { err: 0 });
    writeReply(w, 13, 1n, 0, responseCodec(OpCode.delete));
    const pending = new Map<number, number>([
      [9, OpCode.create2],
      [10, OpCode.create],
      [11, OpCode.multi],
      [12, OpCode.addWatch],
      [13, OpCode.delete],
    ]);
    const fd = new FrameDecoder();
    fd.push(w.finish());
    const got: unknown[] = [];
    for (let f = fd.next(); f; f = fd.next()) {
      const r = new JuteReader(f);
      const h = readReplyHeader(r);
      got.push([h.xid, h.err, plain(decodeResponseBody(pending.get(h.xid)!, r))]);
    }
    expect(got).toEqual([
      [9, 0, { path: '/a', stat: STAT }],
      [10, ErrorCode.NODEEXISTS, null],
      [11, 0, [{ type: 2 }]],
      [12, 0, { err: 0 }],
      [13, 0, null],
    ]);
  });

  it('has a reply codec decision for every client opcode', () => {
    for (const { type } of REQUESTS) expect(responseCodec(type)).not.toBeUndefined();
    expect(responseCodec(OpCode.check)!.name).toBe('SetDataResponse');
    expect(responseCodec(OpCode.reconfig)!.name).toBe('GetDataResponse');
    expect(responseCodec(OpCode.addWatch)!.name).toBe('ErrorResponse');
    expect(responseCodec(OpCode.setWatches)).toBeNull();
  });
});
