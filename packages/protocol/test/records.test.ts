import { describe, expect, it } from 'vitest';
import * as P from '../src/index.js';
import type { Codec } from '../src/index.js';
import { STAT, decode, encode, hex, plain, unhex, utf8 } from './helpers.js';

const acl: P.ACL[] = [
  { perms: P.Perms.ALL, id: { scheme: 'world', id: 'anyone' } },
  { perms: P.Perms.READ | P.Perms.ADMIN, id: { scheme: 'digest', id: 'bob:abc=' } },
];
const data = utf8('hello');

/** One sample value per codec exported from the package. */
const SAMPLES: Record<string, unknown> = {
  Id: { scheme: 'ip', id: '10.0.0.1' },
  ACL: acl[0],
  Stat: STAT,
  StatPersisted: { czxid: 1n, mzxid: 2n, ctime: 3, mtime: 4, version: 5, cversion: 6, aversion: 7, ephemeralOwner: 0n, pzxid: 9n },
  ClientInfo: { authScheme: 'ip', user: '127.0.0.1' },
  ConnectRequest: { protocolVersion: 0, lastZxidSeen: 5n, timeOut: 4000, sessionId: 77n, passwd: new Uint8Array(16).fill(3), readOnly: true },
  ConnectResponse: { protocolVersion: 0, timeOut: 4000, sessionId: 77n, passwd: new Uint8Array(16).fill(3) },
  RequestHeader: { xid: 12, type: P.OpCode.getData },
  ReplyHeader: { xid: 12, zxid: 0x200000003n, err: P.ErrorCode.NONODE },
  MultiHeader: { type: -1, done: true, err: -1 },
  AuthPacket: { type: 0, scheme: 'digest', auth: utf8('bob:secret') },
  WatcherEvent: { type: P.EventType.NodeDataChanged, state: P.KeeperState.SyncConnected, path: '/a' },
  SetWatches: { relativeZxid: 9n, dataWatches: ['/a'], existWatches: [], childWatches: ['/b', '/c'] },
  SetWatches2: { relativeZxid: 9n, dataWatches: ['/a'], existWatches: ['/x'], childWatches: [], persistentWatches: ['/p'], persistentRecursiveWatches: ['/r', '/'] },
  CreateRequest: { path: '/a', data, acl, flags: P.CreateMode.EPHEMERAL_SEQUENTIAL },
  CreateTTLRequest: { path: '/t', data: null, acl, flags: P.CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000 },
  DeleteRequest: { path: '/a', version: -1 },
  ExistsRequest: { path: '/a', watch: true },
  GetDataRequest: { path: '/a', watch: false },
  SetDataRequest: { path: '/a', data, version: 3 },
  GetACLRequest: { path: '/a' },
  SetACLRequest: { path: '/a', acl, version: 0 },
  GetChildrenRequest: { path: '/', watch: true },
  GetChildren2Request: { path: '/', watch: false },
  SyncRequest: { path: '/a' },
  CheckVersionRequest: { path: '/a', version: 2 },
  GetAllChildrenNumberRequest: { path: '/a' },
  GetEphemeralsRequest: { prefixPath: '/e' },
  AddWatchRequest: { path: '/w', mode: P.AddWatchMode.PERSISTENT_RECURSIVE },
  CheckWatchesRequest: { path: '/w', type: P.WatcherType.Data },
  RemoveWatchesRequest: { path: '/w', type: P.WatcherType.Any },
  ReconfigRequest: { joiningServers: 'server.4=h:2888:3888;2181', leavingServers: null, newMembers: null, curConfigId: -1n },
  GetSASLRequest: { token: utf8('tok') },
  CreateResponse: { path: '/a0000000001' },
  Create2Response: { path: '/a', stat: STAT },
  ExistsResponse: { stat: STAT },
  GetDataResponse: { data: null, stat: STAT },
  SetDataResponse: { stat: STAT },
  GetACLResponse: { acl, stat: STAT },
  SetACLResponse: { stat: STAT },
  GetChildrenResponse: { children: ['a', 'b', 'zookeeper'] },
  GetChildren2Response: { children: [], stat: STAT },
  SyncResponse: { path: '/a' },
  GetAllChildrenNumberResponse: { totalNumber: 12345 },
  GetEphemeralsResponse: { ephemerals: ['/e/1', '/e/2'] },
  WhoAmIResponse: { clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }, { authScheme: 'digest', user: 'bob' }] },
  SetSASLResponse: { token: null },
  ErrorResponse: { err: 0 },
  TxnHeader: { clientId: 0x100000abcn, cxid: 7, zxid: 0x300000001n, time: 1_700_000_000_999, type: P.OpCode.create },
  TxnDigest: { version: 2, treeDigest: -123456789n },
  CreateTxn: { path: '/a', data, acl, ephemeral: true, parentCVersion: 4 },
  CreateContainerTxn: { path: '/c', data: null, acl, parentCVersion: 0 },
  CreateTTLTxn: { path: '/t', data, acl, parentCVersion: 1, ttl: 1000 },
  DeleteTxn: { path: '/a' },
  SetDataTxn: { path: '/a', data, version: 9 },
  CheckVersionTxn: { path: '/a', version: 9 },
  SetACLTxn: { path: '/a', acl, version: 1 },
  CreateSessionTxn: { timeOut: 30000 },
  CloseSessionTxn: { paths2Delete: ['/e/1', '/e/2'] },
  ErrorTxn: { err: P.ErrorCode.NODEEXISTS },
  MultiRequest: [
    { type: 1, req: { path: '/m', data, acl, flags: 0 } },
    { type: 13, req: { path: '/m', version: 0 } },
  ],
  MultiResponse: [{ type: 1, path: '/m' }, { type: 13 }],
};

const isCodec = (v: unknown): v is Codec<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as Codec<unknown>).read === 'function' && typeof (v as Codec<unknown>).write === 'function';

const codecs = Object.entries(P).filter(([, v]) => isCodec(v)) as Array<[string, Codec<unknown>]>;

describe('every exported codec', () => {
  it('has a sample in this test (add one when adding a codec)', () => {
    expect(codecs.length).toBeGreaterThanOrEqual(60);
    expect(codecs.map(([n]) => n).filter((n) => !(n in SAMPLES))).toEqual([]);
  });

  for (const [name, codec] of codecs) {
    it(`${name} round-trips and names itself`, () => {
      const sample = SAMPLES[name];
      const bytes = encode(codec, sample);
      expect(plain(decode(codec, bytes))).toEqual(plain(sample));
      expect(codec.name).toBe(name);
      // re-encoding the decoded value is byte-identical
      expect(hex(encode(codec, decode(codec, bytes)))).toBe(hex(bytes));
    });

    it(`${name} throws JuteDecodeError (never RangeError) on every truncation`, () => {
      const bytes = encode(codec, SAMPLES[name]);
      for (let cut = 0; cut < bytes.length; cut++) {
        // ConnectRequest/Response legitimately end before their optional readOnly byte.
        if ((name === 'ConnectRequest' || name === 'ConnectResponse') && cut >= bytes.length - 1) continue;
        expect(() => decode(codec, bytes.subarray(0, cut)), `${name} cut at ${cut}`).toThrow(P.JuteDecodeError);
      }
    });
  }
});

describe('hand-written vectors from zookeeper.jute', () => {
  it('Stat: 11 fields, 68 bytes, in jute order', () => {
    const bytes = encode(P.Stat, STAT);
    expect(bytes.length).toBe(P.STAT_SIZE);
    expect(hex(bytes)).toBe(
      '0000000100000001' + // czxid
        '0000000100000002' + // mzxid
        (1_700_000_000_123).toString(16).padStart(16, '0') + // ctime
        (1_700_000_000_456).toString(16).padStart(16, '0') + // mtime
        '00000003' + // version
        'ffffffff' + // cversion -1
        '00000000' + // aversion
        '8000000000000000' + // ephemeralOwner = Long.MIN_VALUE (container)
        '00000005' + // dataLength
        '00000002' + // numChildren
        '7fffffffffffffff', // pzxid
    );
  });

  it('CreateRequest: path, data, acl vector, flags', () => {
    const bytes = encode(P.CreateRequest, { path: '/a', data: unhex('ff'), acl: [acl[0]!], flags: 1 });
    expect(hex(bytes)).toBe(
      '000000022f61' + '00000001ff' + '00000001' + '0000001f' + '00000005776f726c64' + '00000006616e796f6e65' + '00000001',
    );
  });

  it('CreateRequest with null data writes length -1 and decodes back to null', () => {
    const bytes = encode(P.CreateRequest, { path: '/n', data: null, acl: [], flags: 0 });
    expect(hex(bytes)).toBe('000000022f6e' + 'ffffffff' + '00000000' + '00000000');
    expect(decode(P.CreateRequest, bytes).data).toBeNull();
  });

  it('GetDataRequest: path then a one-byte boolean', () => {
    expect(hex(encode(P.GetDataRequest, { path: '/zk', watch: true }))).toBe('000000032f7a6b01');
  });

  it('ReplyHeader: xid, zxid, err = 16 bytes', () => {
    expect(hex(encode(P.ReplyHeader, { xid: -2, zxid: 0x10n, err: -101 }))).toBe('fffffffe' + '0000000000000010' + 'ffffff9b');
  });

  it('WatcherEvent: type, state, path', () => {
    expect(hex(encode(P.WatcherEvent, { type: 4, state: 3, path: '/p' }))).toBe('00000004' + '00000003' + '000000022f70');
  });

  it('AuthPacket: type, scheme, auth buffer', () => {
    expect(hex(encode(P.AuthPacket, { type: 0, scheme: 'digest', auth: utf8('u:p') }))).toBe('00000000' + '00000006646967657374' + '00000003753a70');
  });

  it('SetWatches: relativeZxid then three string vectors', () => {
    expect(hex(encode(P.SetWatches, { relativeZxid: 1n, dataWatches: ['/d'], existWatches: [], childWatches: ['/c'] }))).toBe(
      '0000000000000001' + '00000001000000022f64' + '00000000' + '00000001000000022f63',
    );
  });

  it('TxnHeader: clientId, cxid, zxid, time, type = 28 bytes', () => {
    const bytes = encode(P.TxnHeader, { clientId: 1n, cxid: 2, zxid: 3n, time: 4, type: -10 });
    expect(hex(bytes)).toBe('0000000000000001' + '00000002' + '0000000000000003' + '0000000000000004' + 'fffffff6');
  });

  it('a null vector decodes as an empty array', () => {
    expect(decode(P.GetChildrenResponse, unhex('ffffffff'))).toEqual({ children: [] });
  });

  it('a null string in ReconfigRequest stays null', () => {
    const v = decode(P.ReconfigRequest, unhex('ffffffff' + 'ffffffff' + '00000001' + '61' + 'ffffffffffffffff'));
    expect(v).toEqual({ joiningServers: null, leavingServers: null, newMembers: 'a', curConfigId: -1n });
  });
});
