import { describe, expect, it } from 'vitest';
import { NULL_PATH, R, Mode, decodeMultiResults } from '../../src/requests.js';
import { Reader, Writer } from '../../src/wire.js';

const resolve = (p: string): string | null => (p === NULL_PATH ? null : p.startsWith('!') ? p.slice(1) : p === '/' ? '/r' : p.startsWith('/') ? `/r${p}` : p);

function encode(req: ReturnType<typeof R.create>): string {
  const w = new Writer();
  req.encode(w, resolve);
  return w.bytes().toString('hex');
}

describe('request encoding', () => {
  it('writes CreateRequest as jute: path, data, acl vector, flags', () => {
    const hex = encode(R.create('/a', 'x', { mode: Mode.EPHEMERAL }));
    expect(hex).toBe(
      '00000004' + Buffer.from('/r/a').toString('hex') + // path
        '00000001' + '78' + // data
        '00000001' + '0000001f' + '00000005' + Buffer.from('world').toString('hex') + '00000006' + Buffer.from('anyone').toString('hex') + // acl
        '00000001', // flags
    );
  });

  it('resolves case-relative, absolute and null paths', () => {
    const w = new Writer();
    R.getData('!/zookeeper').encode(w, resolve);
    R.getData(NULL_PATH).encode(w, resolve);
    R.getData('bad').encode(w, resolve);
    expect(w.bytes().toString('hex')).toBe(
      '0000000a' + Buffer.from('/zookeeper').toString('hex') + '00' + 'ffffffff' + '00' + '00000003' + Buffer.from('bad').toString('hex') + '00',
    );
  });

  it('frames multi ops with MultiHeaders and a terminator', () => {
    const w = new Writer();
    R.multi([R.check('/a', 3)]).encode(w, resolve);
    expect(w.bytes().toString('hex')).toBe('0000000d' + '00' + 'ffffffff' + '00000004' + Buffer.from('/r/a').toString('hex') + '00000003' + 'ffffffff' + '01' + 'ffffffff');
  });

  it('decodes multi results, error bodies included', () => {
    const w = new Writer();
    w.int(1).bool(false).int(0).string('/a');
    w.int(-1).bool(false).int(-101).int(-101);
    w.int(-1).bool(true).int(-1);
    expect(decodeMultiResults(new Reader(w.bytes()))).toEqual([
      { op: 'create', err: 0, path: '/a' },
      { op: 'error', err: -101, errBody: -101 },
    ]);
  });

  it('keeps null distinct from empty when reading', () => {
    const w = new Writer();
    w.string(null).string('').buffer(null).int(-1);
    const r = new Reader(w.bytes());
    expect([r.string(), r.string(), r.buffer(), r.strings()]).toEqual([null, '', null, null]);
  });
});
