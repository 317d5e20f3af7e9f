import { describe, expect, it } from 'vitest';
import { ACL, JuteDecodeError, JuteReader, JuteWriter, decodeTxnEntry, encodeTxnEntry, type TxnEntry } from '../src/index.js';

const hdr = { clientId: 5n, cxid: 1, zxid: 0x100000001n, time: 1_700_000_000_000, type: 1 };

describe('reader fast paths', () => {
  it('readStringKnown returns the known string itself, and anything else as readString would', () => {
    const w = new JuteWriter();
    for (const s of ['world', 'anyone', 'worlds', 'wörld', '', 'digest']) w.writeString(s);
    w.writeInt(-1); // a null string
    const r = new JuteReader(w.finish());
    const a = r.readStringKnown('s', 'world');
    expect(a).toBe('world');
    expect(r.readStringKnown('s', 'anyone')).toBe('anyone');
    expect(r.readStringKnown('s', 'world')).toBe('worlds');
    expect(r.readStringKnown('s', 'world')).toBe('wörld');
    expect(r.readStringKnown('s', 'world')).toBe('');
    expect(r.readStringKnown('s', 'world')).toBe('digest');
    expect(r.readStringKnown('s', 'world')).toBe('');
    expect(r.nullStrings).toBe(1);
    expect(r.atEnd).toBe(true);
  });

  it('readStringKnown keeps the per-field length limit', () => {
    const w = new JuteWriter();
    w.writeString('anyone');
    const r = new JuteReader(w.finish(), { maxLength: 3 });
    expect(() => r.readStringKnown('Id.id', 'anyone')).toThrow(JuteDecodeError);
  });

  it('ACL ids decode world:anyone and other ids alike', () => {
    const w = new JuteWriter();
    ACL.write(w, { perms: 31, id: { scheme: 'world', id: 'anyone' } });
    ACL.write(w, { perms: 1, id: { scheme: 'world', id: 'nobody' } });
    ACL.write(w, { perms: 3, id: { scheme: 'digest', id: 'u:h' } });
    const r = new JuteReader(w.finish());
    expect([ACL.read(r), ACL.read(r), ACL.read(r)]).toEqual([
      { perms: 31, id: { scheme: 'world', id: 'anyone' } },
      { perms: 1, id: { scheme: 'world', id: 'nobody' } },
      { perms: 3, id: { scheme: 'digest', id: 'u:h' } },
    ]);
  });

  it('decodeTxnEntry results do not depend on later calls (one reader is reused)', () => {
    const mk = (path: string, data: string): TxnEntry => ({
      header: hdr,
      txn: { type: 1, txn: { path, data: new TextEncoder().encode(data), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], ephemeral: false, parentCVersion: 4 } },
    });
    const a = decodeTxnEntry(encodeTxnEntry(mk('/é/a', 'first')));
    const b = decodeTxnEntry(encodeTxnEntry(mk('/b', 'second')));
    expect(a).toEqual({ header: hdr, txn: { type: 1, txn: expect.objectContaining({ path: '/é/a', parentCVersion: 4 }) } });
    expect(new TextDecoder().decode((a.txn.txn as { data: Uint8Array }).data)).toBe('first');
    expect((b.txn.txn as { path: string }).path).toBe('/b');
    const bad = encodeTxnEntry(mk('/c', 'x')).slice(0, 20);
    expect(() => decodeTxnEntry(bad)).toThrow(JuteDecodeError);
    expect((decodeTxnEntry(encodeTxnEntry(mk('/d', 'y'))).txn.txn as { path: string }).path).toBe('/d');
    expect(() => decodeTxnEntry(encodeTxnEntry(mk('/long-path', 'z')), { maxLength: 4 })).toThrow(JuteDecodeError);
  });
});
