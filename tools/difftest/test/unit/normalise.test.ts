import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/case.js';
import { normalise } from '../../src/normalise.js';
import type { ConnectedFrame, ReplyFrame } from '../../src/raw-session.js';

const stat = (o: Partial<Record<string, unknown>> = {}) => ({
  czxid: 105n, mzxid: 107n, ctime: 1_000_500, mtime: 1_000_600, version: 1, cversion: 0, aversion: 0,
  ephemeralOwner: 0n, dataLength: 1, numChildren: 0, pzxid: 105n, ...o,
});
const connected = (sessionId: bigint): ConnectedFrame => ({
  kind: 'connected', seq: 0, protocolVersion: 0, timeOut: 10000, sessionId, passwd: Buffer.alloc(16), readOnly: false,
});
const reply = (o: Partial<ReplyFrame>): ReplyFrame => ({ kind: 'reply', seq: 1, xid: 1, zxid: 107n, err: 0, op: 4, summary: 'getData /a', ...o });
const ctx = { root: '/dt7', baseZxid: 100n, startMs: 1_000_000, endMs: 1_001_000, controlSessionId: 0x99n };

function steps(...frames: Array<Array<ConnectedFrame | ReplyFrame>>): Entry[] {
  return frames.map((fs, i) => ({ kind: 'step', n: i + 1, conn: 'c1', what: 'x', frames: fs.map((frame) => ({ conn: 'c1', frame })) }));
}

describe('normalise', () => {
  it('maps zxids relative to the case start and older ones by rank', () => {
    const lines = normalise(steps([reply({ zxid: 107n, body: { stat: stat({ czxid: 40n, pzxid: 90n }) } })]), ctx);
    expect(lines.join('\n')).toContain('zxid=+7');
    expect(lines.join('\n')).toContain('c=old1 m=+7 p=old2');
  });

  it('rank mode compares only the order of zxids', () => {
    const lines = normalise(steps([reply({ zxid: 107n, body: { stat: stat({ czxid: 103n }) } })]), { ...ctx, zxidMode: 'rank' });
    // zxids seen: 103 (czxid), 105 (pzxid), 107 (mzxid and the header).
    expect(lines.join('\n')).toContain('zxid=z3');
    expect(lines.join('\n')).toContain('c=z1 m=z3 p=z2');
  });

  it('labels sessions in order of appearance, including ephemeralOwner', () => {
    const lines = normalise(
      steps([connected(0xabcn)], [connected(0x123n)], [reply({ body: { stat: stat({ ephemeralOwner: 0x123n }) } })], [reply({ body: { stat: stat({ ephemeralOwner: 0x99n }) } })], [reply({ body: { stat: stat({ ephemeralOwner: 0x777n }) } })]),
      ctx,
    ).join('\n');
    expect(lines).toContain('session=S1');
    expect(lines).toContain('session=S2');
    expect(lines).toContain('owner=S2');
    expect(lines).toContain('owner=ctl');
    expect(lines).toContain('owner=S?');
    expect(lines).not.toContain('passwd=0x');
  });

  it('shows container and TTL owners by kind', () => {
    const lines = normalise(
      steps([reply({ body: { stat: stat({ ephemeralOwner: -0x8000000000000000n }) } })], [reply({ body: { stat: stat({ ephemeralOwner: BigInt.asIntN(64, 0xff000000000003e8n) }) } })]),
      ctx,
    ).join('\n');
    expect(lines).toContain('owner=CONTAINER');
    expect(lines).toContain('owner=TTL(1000)');
  });

  it('classifies times and flags mtime before ctime', () => {
    const lines = normalise(steps([reply({ body: { stat: stat({ ctime: 0, mtime: 5 }) } })], [reply({ body: { stat: stat({ ctime: 1_000_700, mtime: 1_000_600 }) } })]), ctx).join('\n');
    expect(lines).toContain('ctime=0 mtime=past');
    expect(lines).toContain('MTIME<CTIME');
  });

  it('flags times that go backwards in zxid order', () => {
    const lines = normalise(steps([reply({ body: { stat: stat({ czxid: 101n, mzxid: 102n, ctime: 1_000_900, mtime: 1_000_900 }) } })], [reply({ body: { stat: stat({ czxid: 103n, mzxid: 103n, ctime: 1_000_100, mtime: 1_000_100 }) } })]), ctx);
    expect(lines[lines.length - 1]).toBe('!! stat times are not monotonic in zxid order');
  });

  it('strips the case root from paths, leaves other paths alone', () => {
    const lines = normalise(steps([reply({ op: 1, body: { path: '/dt7/a/b' } })], [reply({ op: 103, body: { ephemerals: ['/dt7', '/dt70/x', '/zookeeper'] } })]), ctx).join('\n');
    expect(lines).toContain('path=/a/b');
    expect(lines).toContain('ephemerals=[/, /dt70/x, /zookeeper]');
  });

  it('keeps list order unless asked to sort', () => {
    const e = steps([reply({ op: 8, body: { children: ['b', 'a'] } })]);
    expect(normalise(e, { ...ctx, keepListOrder: true }).join('\n')).toContain('children=[b, a]');
    expect(normalise(e, ctx).join('\n')).toContain('children=[a, b]');
  });

  it('prints error names and multi results line by line', () => {
    const lines = normalise(steps([reply({ op: 14, err: 0, body: { results: [{ op: 'error', err: 0, errBody: 0 }, { op: 'error', err: -103, errBody: -103 }] } })]), ctx);
    expect(lines).toContain('   c1:   [1] {op=error err=BADVERSION errBody=BADVERSION}');
  });
});
