import { describe, expect, it } from 'vitest';
import { ConnectRequest, ConnectResponse, FrameDecoder, JuteReader, JuteWriter, writeFrame } from '../src/index.js';
import { decode, encode, hex, plain, unhex } from './helpers.js';

// A 3.8 Java client's first packet for a new session (ClientCnxn.primeConnection + Packet.createBB):
// protocolVersion 0, lastZxidSeen 0, timeOut 30000, sessionId 0, passwd = 16 zero bytes, readOnly.
const PASSWD0 = new Uint8Array(16);
const CONNECT_REQ_HEX =
  '00000000' + // protocolVersion
  '0000000000000000' + // lastZxidSeen
  '00007530' + // timeOut = 30000
  '0000000000000000' + // sessionId
  '00000010' + '00'.repeat(16); // passwd: int length 16 + bytes

describe('ConnectRequest', () => {
  it('is 44 bytes without readOnly (pre-3.4 clients, ClickHouse CLIENT_HANDSHAKE_LENGTH)', () => {
    const bytes = encode(ConnectRequest, { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30000, sessionId: 0n, passwd: PASSWD0 });
    expect(bytes.length).toBe(44);
    expect(hex(bytes)).toBe(CONNECT_REQ_HEX);
  });

  it('is 45 bytes with readOnly (3.4+ clients)', () => {
    const bytes = encode(ConnectRequest, { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30000, sessionId: 0n, passwd: PASSWD0, readOnly: false });
    expect(bytes.length).toBe(45);
    expect(hex(bytes)).toBe(CONNECT_REQ_HEX + '00');
  });

  it('decodes both forms and reports whether readOnly was present', () => {
    const without = decode(ConnectRequest, unhex(CONNECT_REQ_HEX));
    expect('readOnly' in without).toBe(false);
    expect(without.readOnly).toBeUndefined();
    expect(without.timeOut).toBe(30000);
    const withRo = decode(ConnectRequest, unhex(CONNECT_REQ_HEX + '01'));
    expect(withRo.readOnly).toBe(true);
  });

  it('decodes a reconnect with a session id, zxid and password', () => {
    const passwd = unhex('0102030405060708090a0b0c0d0e0f10');
    const hexReq =
      '00000000' + '0000000100000005' + '00002710' + '0100000a3b2c0001' + '00000010' + '0102030405060708090a0b0c0d0e0f10' + '00';
    const v = decode(ConnectRequest, unhex(hexReq));
    expect(plain(v)).toEqual({ protocolVersion: 0, lastZxidSeen: 0x100000005n, timeOut: 10000, sessionId: 0x0100000a3b2c0001n, passwd, readOnly: false });
    expect(hex(encode(ConnectRequest, v))).toBe(hexReq);
  });

  it('frames to the exact bytes a 3.8 client puts on the wire', () => {
    const w = new JuteWriter();
    writeFrame(w, ConnectRequest, { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30000, sessionId: 0n, passwd: PASSWD0, readOnly: false });
    expect(hex(w.view())).toBe('0000002d' + CONNECT_REQ_HEX + '00');
    const fd = new FrameDecoder();
    fd.push(w.finish());
    expect(fd.next()!.length).toBe(45);
  });
});

describe('ConnectResponse', () => {
  const RESP_HEX = '00000000' + '00007530' + '0100000a3b2c0001' + '00000010' + 'aa'.repeat(16);
  const passwd = new Uint8Array(16).fill(0xaa);

  it('is 36 bytes for an old client (no readOnly) and 37 with it', () => {
    const base = { protocolVersion: 0, timeOut: 30000, sessionId: 0x0100000a3b2c0001n, passwd };
    expect(hex(encode(ConnectResponse, base))).toBe(RESP_HEX);
    expect(encode(ConnectResponse, base).length).toBe(36);
    expect(hex(encode(ConnectResponse, { ...base, readOnly: false }))).toBe(RESP_HEX + '00');
    expect(encode(ConnectResponse, { ...base, readOnly: true }).length).toBe(37);
  });

  it('decodes with and without the readOnly byte', () => {
    expect(decode(ConnectResponse, unhex(RESP_HEX)).readOnly).toBeUndefined();
    expect(decode(ConnectResponse, unhex(RESP_HEX + '01')).readOnly).toBe(true);
  });

  it('a session-expired answer is all zeros with a zero password', () => {
    const bytes = encode(ConnectResponse, { protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false });
    expect(hex(bytes)).toBe('00'.repeat(16) + '00000010' + '00'.repeat(17));
  });

  it('rejects a truncated handshake with a JuteDecodeError', () => {
    expect(() => ConnectResponse.read(new JuteReader(unhex(RESP_HEX.slice(0, 40))))).toThrow(/ConnectResponse\.passwd/);
  });
});
