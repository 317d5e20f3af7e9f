import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kazooAvailable, runKazoo, type ScenarioResult } from '../src/kazoo.js';
import { startTarget, type Target } from '../src/target.js';

const available = await kazooAvailable();

describe.skipIf(!available)('kazoo', () => {
  let server: Target;
  let results: Record<string, ScenarioResult>;
  let output = '';
  beforeAll(async () => {
    server = await startTarget();
    ({ results, output } = await runKazoo(server.connectString, []));
    if (process.env['INTEROP_DEBUG']) console.log(JSON.stringify(results, null, 1));
  }, 150_000);
  afterAll(async () => {
    await server?.stop();
  });

  function result<T>(name: string): T {
    const r = results[name];
    if (!r) throw new Error(`no result for ${name}:\n${output}`);
    if (!r.ok) throw new Error(`${name} failed: ${r.error}\n${r.trace ?? ''}`);
    return r.result as T;
  }

  it('CRUD, versions, errors, sequential, ephemeral, create2, 4lw', () => {
    const r = result<Record<string, unknown>>('crud');
    expect(r).toMatchObject({
      get: ['hello', 0, 0, 5],
      set_version: 1,
      bad_version: 'BadVersionError',
      exists_missing: true,
      node_exists: 'NodeExistsError',
      no_node: 'NoNodeError',
      seq: ['seq-0000000002', 'seq-0000000003'],
      eph_owner_is_session: true,
      children: ['a', 'eph', 'seq-0000000002', 'seq-0000000003', 'x'],
      not_empty: 'NotEmptyError',
      after_delete: ['eph', 'seq-0000000002', 'seq-0000000003', 'x'],
      create2: ['/with-stat', 0, 3, true],
      ruok: 'imok',
      server_version: [3, 8, 0],
    });
  });

  it('DataWatch, ChildrenWatch, one-shot watch, ephemeral removed on close', () => {
    const r = result<{ data: Array<string | null>; children: string[][]; events: Array<[string, string]> }>('watches');
    expect(r.data).toEqual(expect.arrayContaining(['', 'one', 'two']));
    expect(r.data.indexOf('one')).toBeLessThan(r.data.indexOf('two'));
    expect(r.children).toEqual(expect.arrayContaining([[], ['c1'], ['c1', 'c2'], ['c2']]));
    expect(r.events).toEqual([
      ['CREATED', '/later'],
      ['DELETED', '/w/eph'],
    ]);
  });

  it('transactions: commit and rollback with per-op results', () => {
    const r = result<Record<string, unknown>>('transactions');
    expect(r).toEqual({
      ok: ['/t/a', 'stat', 'True', '/t/b', 'True'].map((x) => (x === 'True' ? true : x)),
      failed: ['RolledBackError', 'BadVersionError', 'RuntimeInconsistency'],
      children: ['a'],
      data: '1',
    });
  });

  it('digest ACLs and add_auth', () => {
    const r = result<Record<string, unknown>>('acls');
    expect(r).toMatchObject({ owner_reads: 'p', stranger_reads: 'NoAuthError', stranger_writes: 'NoAuthError', after_auth: 'p', aversion: 0 });
    expect(r['acl']).toEqual([['digest', expect.stringMatching(/^alice:/), 31]]);
  });

  it('Lock', () => {
    expect(result('lock')).toEqual({ a: true, contenders: ['a'], b_while_held: 'LockTimeout', b_after: true });
  });

  it('Election', () => {
    expect(result('election')).toEqual({ leaders: ['a', 'b'], contenders: ['a', 'b'] });
  });

  it('Counter', () => {
    expect(result('counter')).toEqual({ value: 6 });
  });

  it('Barrier', () => {
    expect(result('barrier')).toEqual({ blocked_while_up: false, released: true });
  });

  it('Queue (lower priority number first, FIFO within a priority)', () => {
    expect(result('queue')).toEqual({ order: ['urgent', 'one', 'two', 'three'], empty: true, len: 0 });
  });

  it('TreeCache', () => {
    const r = result<{ events: Array<[string, string | null]>; snapshot: unknown }>('tree_cache');
    expect(r.snapshot).toEqual({ children: ['a', 'b'], b: 'bee2' });
    const kinds = r.events.map((e) => `${e[0]} ${e[1] ?? ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['added /tree', 'added /tree/a', 'initialized ', 'added /tree/b', 'added /tree/a/deep', 'updated /tree/b', 'removed /tree/a/deep']));
  });
});
