import { it } from 'vitest';
import { TARGETS } from './support/targets.js';
import { connect, type ZooKeeperClient, type WatchedEvent } from '../src/index.js';
const out: Record<string, unknown[]> = {};
async function probe(name: string, f: () => Promise<unknown>, log: unknown[]) {
  try { log.push([name, await f()]); } catch (e) { log.push([name, 'ERR ' + ((e as { codeName?: string }).codeName ?? (e as Error).message)]); }
}
const tick = () => new Promise((r) => setTimeout(r, 150));
it('probe', async () => {
  for (const f of TARGETS) {
    const t = await f.start();
    const link = await t.link(); const link2 = await t.link();
    const zk: ZooKeeperClient = await connect(link.connectString(), { ...link.clientOptions, sessionTimeoutMs: 10000 });
    const zk2: ZooKeeperClient = await connect(link2.connectString(), { ...link2.clientOptions, sessionTimeoutMs: 10000 });
    const log: unknown[] = []; out[f.name] = log;
    const ev: string[] = [];
    const w = (n: string) => (e: WatchedEvent) => { if (e.type !== 'None') ev.push(`${n}:${e.type}:${e.path}`); };
    await zk.create('/p');
    await probe('child+recursive same path', async () => { ev.length = 0; await zk.getChildren('/p', { watch: w('child') }); await zk.addWatch('/p', w('rec'), { mode: 'PERSISTENT_RECURSIVE' }); await zk2.create('/p/x'); await zk2.setData('/p', 'd'); await zk.sync('/'); await tick(); return [...ev]; }, log);
    await probe('data+persistent same path', async () => { ev.length = 0; await zk.create('/q'); await zk.getData('/q', { watch: w('data') }); await zk.addWatch('/q', w('pers'), { mode: 'PERSISTENT' }); await zk2.setData('/q', '1'); await zk2.setData('/q', '2'); await zk.sync('/'); await tick(); return [...ev]; }, log);
    await probe('delete /', () => zk.delete('/'), log);
    await probe('setData /', () => zk.setData('/', 'x').then((s) => s.version), log);
    await probe('create /zookeeper/x', () => zk.create('/zookeeper/x').then((r) => r.path), log);
    await probe('delete /zookeeper', () => zk.delete('/zookeeper'), log);
    await probe('sync missing', () => zk.sync('/nope/x'), log);
    await probe('getAllChildrenNumber missing', () => zk.getAllChildrenNumber('/nope'), log);
    await probe('getEphemerals string prefix', async () => { await zk.create('/eph1', null, { mode: 'EPHEMERAL' }); await zk.create('/ephx', null, { mode: 'EPHEMERAL' }); return (await zk.getEphemerals('/eph')).sort(); }, log);
    await probe('getEphemerals missing prefix', () => zk.getEphemerals('/zzz'), log);
    await probe('addWatch missing node', () => zk.addWatch('/missing', w('m'), { mode: 'PERSISTENT' }), log);
    await probe('whoAmI', () => zk.whoAmI(), log);
    await probe('create ip acl bad', () => zk.create('/ipbad', null, { acl: [{ perms: 31, id: { scheme: 'ip', id: 'notanip' } }] }), log);
    await probe('create auth acl no auth', () => zk.create('/authbad', null, { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] }), log);
    await probe('create unknown scheme', () => zk.create('/unk', null, { acl: [{ perms: 31, id: { scheme: 'foo', id: 'bar' } }] }), log);
    await probe('create perms 0', () => zk.create('/perms0', null, { acl: [{ perms: 0, id: { scheme: 'world', id: 'anyone' } }] }).then(() => zk.getACL('/perms0')), log);
    await probe('negotiated 1ms', async () => { const l = await t.link(); const c = await connect(l.connectString(), { ...l.clientOptions, sessionTimeoutMs: 1 }); const n = c.negotiatedTimeoutMs; await c.close(); return n; }, log);
    await probe('negotiated huge', async () => { const l = await t.link(); const c = await connect(l.connectString(), { ...l.clientOptions, sessionTimeoutMs: 10_000_000 }); const n = c.negotiatedTimeoutMs; await c.close(); return n; }, log);
    await probe('seq after delete', async () => { await zk.create('/s'); const a = await zk.create('/s/n', null, { mode: 'PERSISTENT_SEQUENTIAL' }); await zk.delete(a.path); await zk.create('/s/other'); return (await zk.create('/s/n', null, { mode: 'PERSISTENT_SEQUENTIAL' })).path; }, log);
    await probe('cversion/pzxid on child delete', async () => { await zk.create('/cv'); await zk.create('/cv/a'); const s1 = (await zk.exists('/cv'))!; await zk.delete('/cv/a'); const s2 = (await zk.exists('/cv'))!; await zk.setData('/cv', 'x'); return [s2.cversion - s1.cversion, s2.pzxid > s1.pzxid, s2.numChildren]; }, log);
    await probe('multi empty', () => zk.multi([]), log);
    await probe('multiRead empty', () => zk.multiRead([]), log);
    await probe('multi check missing', () => zk.multi([{ type: 'check', path: '/nope', version: 0 }]).catch((e) => ['ERR', e.codeName, e.results.map((r: {type: string; code?: number}) => [r.type, r.code])]), log);
    await probe('multi create+delete same', () => zk.multi([{ type: 'create', path: '/md' }, { type: 'delete', path: '/md' }]).then((r) => r.map((x) => x.type)), log);
    await probe('multi create seq', () => zk.multi([{ type: 'create', path: '/ms-', mode: 'EPHEMERAL_SEQUENTIAL' }]).then((r) => r), log);
    await probe('multi ttl', () => zk.multi([{ type: 'create', path: '/mttl', mode: 'PERSISTENT_WITH_TTL', ttl: 100000 }, { type: 'create', path: '/mc', mode: 'CONTAINER' }]).then((r) => r.map((x) => [x.type, (x as { stat?: unknown }).stat !== null])), log);
    await probe('check standalone ok', () => zk.multi([{ type: 'check', path: '/p', version: 1 }]), log);
    await probe('removeWatches persistent via Data', async () => { await zk.addWatch('/rw', w('rw'), { mode: 'PERSISTENT' }); return zk.removeWatches('/rw', w('other'), 'Data').catch((e) => 'ERR ' + e.codeName); }, log);
    await probe('removeAllWatches children on persistent', async () => { await zk.addWatch('/rw2', w('rw2'), { mode: 'PERSISTENT' }); await zk.removeAllWatches('/rw2', 'Children'); return zk.getWatches().persistent; }, log);
    await probe('setACL version mismatch', () => zk.setACL('/p', [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], { version: 5 }), log);
    await probe('exists watch missing then created via multi', async () => { ev.length = 0; await zk.exists('/viaMulti', { watch: w('ex') }); await zk2.multi([{ type: 'create', path: '/viaMulti' }, { type: 'setData', path: '/viaMulti', data: 'x' }]); await zk.sync('/'); await tick(); return [...ev]; }, log);
    await probe('child watch on delete parent with recursive', async () => { ev.length = 0; await zk.create('/dp'); await zk.create('/dp/c'); await zk.getChildren('/dp', { watch: w('ch') }); await zk.getData('/dp/c', { watch: w('dc') }); await zk2.delete('/dp/c'); await zk2.delete('/dp'); await zk.sync('/'); await tick(); return [...ev]; }, log);
    await probe('setWatches after recreate', async () => { ev.length = 0; await zk.create('/rc', 'a'); await zk.getData('/rc', { watch: w('rc') }); await link.block(); await zk2.delete('/rc'); await zk2.create('/rc', 'b'); await link.unblock(); await zk.waitForConnected(); await tick(); await zk.sync('/'); await tick(); return [...ev]; }, log);
    await probe('data of big', async () => { const d = new Uint8Array(1024 * 1024 - 200); await zk.create('/big', d); return (await zk.getData('/big')).stat.dataLength; }, log);
    await probe('getConfig', async () => (await zk.getConfig()).data?.toString(), log);
    await probe('ls /zookeeper', async () => (await zk.getChildren('/zookeeper')).children.sort(), log);
    await probe('stat /zookeeper', async () => { const s = (await zk.exists('/zookeeper'))!; return [s.czxid, s.version, s.cversion, s.numChildren, s.ctime]; }, log);
    await probe('stat /', async () => { const s = (await zk.exists('/'))!; return [s.czxid, s.cversion >= 0, s.ctime, s.mtime]; }, log);
    await probe('acl /zookeeper', async () => (await zk.getACL('/zookeeper')).acl, log);
    await probe('acl /zookeeper/config', async () => (await zk.getACL('/zookeeper/config')).acl, log);
    await zk.close(); await zk2.close(); await t.dispose();
  }
  const a = out['zk-ts']!; const b = out['zookeeper-3.8']!;
  const ser = (x: unknown) => JSON.stringify(x, (_k, v) => typeof v === 'bigint' ? v.toString() : v);
  for (let i = 0; i < a.length; i++) { const same = ser(a[i]) === ser(b[i]); console.log(same ? 'SAME' : 'DIFF', ser(a[i]), same ? '' : ' <zk> ' + ser(b[i])); }
}, 120000);
