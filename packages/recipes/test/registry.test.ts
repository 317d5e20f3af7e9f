// ServiceRegistry / ServiceCache and GroupMember against both servers.

import { describe, expect, inject, it } from 'vitest';
import { GroupMember, ServiceRegistry, type ServiceInstance } from '../src/index.js';
import { until, useServer } from './support/harness.js';

describe.each(inject('servers'))('registry and membership against $name', (server) => {
  const h = useServer(server);

  it('registers instances as protected ephemeral sequential JSON nodes; discovery and the cache see them come and go', async () => {
    const base = `${await h.base()}/services`;
    const registry = new ServiceRegistry(await h.client(), base);
    const other = new ServiceRegistry(await h.client(), base);
    const cache = await other.watch<{ weight: number }>('api');
    const a = await registry.register({ name: 'api', id: 'a', address: '10.0.0.1', port: 80, payload: { weight: 1 } });
    const b = await other.register({ name: 'api', id: 'b', address: '10.0.0.2', port: 80, payload: { weight: 2 } });
    expect(a.nodePath).toMatch(new RegExp(`^${base}/api/_c_[0-9a-f-]{36}-a-\\d{10}$`));
    expect((await h.admin.exists(a.nodePath!))?.ephemeralOwner).not.toBe(0n);
    const ids = (list: ServiceInstance[]): string[] => list.map((i) => i.id).sort();
    expect(ids(await registry.queryInstances('api'))).toEqual(['a', 'b']);
    expect(await registry.queryNames()).toEqual(['api']);
    await until(() => cache.instances().length === 2, 'the cache to see both');

    await a.update({ weight: 5 });
    await until(() => cache.instances().find((i) => i.id === 'a')?.payload?.weight === 5, 'the new payload');
    await b.unregister();
    await until(() => ids(cache.instances()).join() === 'a', 'b to go');
    await registry.close();
    await until(() => cache.instances().length === 0, 'a to go');
    expect(await registry.queryInstances('api')).toEqual([]);
    await cache.close();
  });

  it('re-registers after a session expiry (managed client) and after its node is deleted', async () => {
    const base = `${await h.base()}/services`;
    const managed = await h.managed();
    const registry = new ServiceRegistry(managed, base);
    const watcher = new ServiceRegistry(await h.client(), base);
    const cache = await watcher.watch('db');
    const reg = await registry.register({ name: 'db', id: 'primary', port: 5432 });
    await until(() => cache.instances().length === 1, 'the registration');
    const first = reg.nodePath;
    await h.expire(managed.client);
    await until(() => reg.nodePath !== undefined && reg.nodePath !== first, 'the re-registration');
    await until(() => cache.instances().length === 1 && cache.instances()[0]!.id === 'primary', 'the cache to see it back');
    const second = reg.nodePath!;
    await h.admin.delete(second);
    await until(() => reg.nodePath !== undefined && reg.nodePath !== second, 'the re-creation');
    expect((await watcher.queryInstances('db')).map((i) => i.port)).toEqual([5432]);
    await reg.unregister();
    await cache.close();
  });

  it('group members see each other join and leave; an expired member rejoins', async () => {
    const path = `${await h.base()}/group`;
    const managed = await h.managed();
    const members = [
      new GroupMember(managed, path, 'm0', 'zero'),
      new GroupMember(await h.client(), path, 'm1', 'one'),
      new GroupMember(await h.client(), path, 'm2'),
    ];
    for (const m of members) await m.start();
    const names = (m: GroupMember): string => [...m.members().keys()].join();
    await until(() => members.every((m) => names(m) === 'm0,m1,m2'), 'everyone to see everyone');
    expect(members[2]!.members().get('m0')?.toString()).toBe('zero');

    await members[1]!.close();
    await until(() => names(members[0]!) === 'm0,m2' && names(members[2]!) === 'm0,m2', 'm1 to leave');
    await h.expire(managed.client);
    await until(async () => (await h.admin.exists(`${path}/m0`))?.ephemeralOwner === managed.client.sessionId, 'm0 to rejoin with its new session');
    await until(() => names(members[2]!) === 'm0,m2', 'm2 to see m0 again');
    await members[2]!.setData('two');
    await until(() => members[0]!.members().get('m2')?.toString() === 'two', 'the new data');
    await members[0]!.close();
    await members[2]!.close();
  });
});
