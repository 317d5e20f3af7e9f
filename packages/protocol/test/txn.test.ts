import { describe, expect, it } from 'vitest';
import {
  JuteDecodeError,
  JuteEncodeError,
  JuteWriter,
  OpCode,
  TxnHeader,
  decodeTxnEntry,
  encodeTxnEntry,
  isTxnType,
  type Txn,
  type TxnEntry,
} from '../src/index.js';
import { encode, hex, plain, unhex, utf8 } from './helpers.js';

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const hdr = (type: number) => ({ clientId: 0x1000001n, cxid: 3, zxid: 0x100000010n, time: 1_700_000_000_000, type });
const entry = (txn: Txn, digest?: TxnEntry['digest']): TxnEntry => (digest ? { header: hdr(txn.type), txn, digest } : { header: hdr(txn.type), txn });

const TXNS: Txn[] = [
  { type: 1, txn: { path: '/a', data: utf8('d'), acl, ephemeral: false, parentCVersion: 2 } },
  { type: 15, txn: { path: '/a2', data: null, acl, ephemeral: true, parentCVersion: 0 } },
  { type: 19, txn: { path: '/c', data: null, acl, parentCVersion: 1 } },
  { type: 21, txn: { path: '/t', data: utf8('t'), acl, parentCVersion: 1, ttl: 5000 } },
  { type: 2, txn: { path: '/a' } },
  { type: 20, txn: { path: '/c' } },
  { type: 5, txn: { path: '/a', data: utf8('new'), version: 1 } },
  { type: 16, txn: { path: '/zookeeper/config', data: utf8('server.1=a:1:2'), version: -1 } },
  { type: 7, txn: { path: '/a', acl, version: 0 } },
  { type: -10, txn: { timeOut: 30000 } },
  { type: -11, txn: { paths2Delete: ['/e1', '/e2'] } },
  { type: -1, txn: { err: -110 } },
  {
    type: 14,
    txn: {
      txns: [
        { type: 1, txn: { path: '/m', data: null, acl, ephemeral: false, parentCVersion: 0 } },
        { type: 13, txn: { path: '/m', version: 0 } },
        { type: 5, txn: { path: '/m', data: utf8('z'), version: 0 } },
        { type: 2, txn: { path: '/m' } },
      ],
    },
  },
];

describe('txn entries (Util.marshallTxnEntry / SerializeUtils.deserializeTxn)', () => {
  for (const txn of TXNS) {
    it(`round-trips type ${txn.type}`, () => {
      const e = entry(txn);
      const bytes = encodeTxnEntry(e);
      expect(plain(decodeTxnEntry(bytes))).toEqual(plain(e));
      expect(isTxnType(txn.type)).toBe(true);
    });
  }

  it('createSession is TxnHeader + CreateSessionTxn{timeOut}', () => {
    const bytes = encodeTxnEntry(entry({ type: -10, txn: { timeOut: 30000 } }));
    expect(hex(bytes)).toBe(hex(encode(TxnHeader, hdr(-10))) + '00007530');
  });

  it('closeSession writes CloseSessionTxn{paths2Delete} and tolerates an empty body', () => {
    const bytes = encodeTxnEntry(entry({ type: -11, txn: { paths2Delete: [] } }));
    expect(hex(bytes)).toBe(hex(encode(TxnHeader, hdr(-11))) + '00000000');
    const headerOnly = encode(TxnHeader, hdr(-11));
    expect(decodeTxnEntry(headerOnly).txn).toEqual({ type: -11, txn: { paths2Delete: [] } });
  });

  it('a multi nests each body inside Txn{int type; buffer data}', () => {
    const e = entry({ type: 14, txn: { txns: [{ type: 2, txn: { path: '/x' } }, { type: -1, txn: { err: -2 } }] } });
    expect(hex(encodeTxnEntry(e))).toBe(
      hex(encode(TxnHeader, hdr(14))) +
        '00000002' + // vector<Txn> count
        '00000002' + '00000006' + '000000022f78' + // delete: type, data length, DeleteTxn
        'ffffffff' + '00000004' + 'fffffffe', // error: type, data length, ErrorTxn
    );
  });

  it('reads and writes the optional TxnDigest trailer', () => {
    const e = entry({ type: 2, txn: { path: '/a' } }, { version: 2, treeDigest: 0x1234n });
    const bytes = encodeTxnEntry(e);
    expect(hex(bytes).endsWith('00000002' + '0000000000001234')).toBe(true);
    expect(decodeTxnEntry(bytes)).toEqual(e);
  });

  it('reads a pre-3.3 CreateTxnV0 (no parentCVersion) as parentCVersion -1', () => {
    const w = new JuteWriter();
    TxnHeader.write(w, hdr(1));
    w.writeString('/old');
    w.writeBuffer(null);
    w.writeInt(0);
    w.writeBool(false);
    const e = decodeTxnEntry(w.finish());
    expect(e.txn).toEqual({ type: 1, txn: { path: '/old', data: null, acl: [], ephemeral: false, parentCVersion: -1 } });
  });

  it('rejects header/body type mismatches and nested multis when encoding', () => {
    expect(() => encodeTxnEntry({ header: hdr(2), txn: { type: 5, txn: { path: '/', data: null, version: 0 } } })).toThrow(JuteEncodeError);
    expect(() => encodeTxnEntry(entry({ type: 14, txn: { txns: [{ type: 14, txn: { txns: [] } }] } }))).toThrow(JuteEncodeError);
  });

  it('throws JuteDecodeError on unknown types, garbage trailers and truncation', () => {
    expect(() => decodeTxnEntry(encode(TxnHeader, hdr(OpCode.getData)))).toThrow(/unsupported txn type 4/);
    const good = encodeTxnEntry(entry({ type: 2, txn: { path: '/a' } }));
    const trailing = new Uint8Array(good.length + 3);
    trailing.set(good);
    expect(() => decodeTxnEntry(trailing)).toThrow(JuteDecodeError);
    const multi = encodeTxnEntry(entry(TXNS[TXNS.length - 1]!));
    for (let cut = 0; cut < multi.length; cut++) {
      expect(() => decodeTxnEntry(multi.subarray(0, cut))).toThrow(JuteDecodeError);
    }
  });

  it('checks that a nested Txn.data is consumed exactly', () => {
    const bad = unhex(hex(encode(TxnHeader, hdr(14))) + '00000001' + '00000002' + '00000007' + '000000022f78' + '00');
    expect(() => decodeTxnEntry(bad)).toThrow(/trailing/);
  });
});
