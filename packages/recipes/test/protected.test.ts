// Protected mode: a create cut off by a connection loss is found again (or made again), exactly once.

import { describe, expect, inject, it } from 'vitest';
import { createProtected, findProtected, unprotectedName } from '../src/index.js';
import { until, useServer } from './support/harness.js';

const GUID = '3d6f0a39-4b8e-4f63-8d3c-6f2b1c0e9a71';

describe.each(inject('servers'))('protected mode against $name', (server) => {
  const h = useServer(server);

  it('finds its node when the reply to the create was lost', async () => {
    const dir = `${await h.base()}/d`;
    await h.admin.create(dir);
    const zk = await h.client();
    h.proxy(zk).hold('down'); // the request gets through, the reply does not
    const creating = createProtected(zk, dir, 'node-', 'x', 'EPHEMERAL_SEQUENTIAL', GUID);
    await until(async () => (await h.admin.getChildren(dir)).children.length === 1, 'the node on the server');
    h.proxy(zk).cut();
    const path = await creating;
    const { children } = await h.admin.getChildren(dir);
    expect(children).toHaveLength(1);
    expect(path).toBe(`${dir}/${children[0]}`);
    expect(unprotectedName(children[0]!)).toMatch(/^node-\d{10}$/);
    expect((await h.admin.exists(path))?.ephemeralOwner).toBe(zk.sessionId);
  });

  it('creates again when the create never reached the server', async () => {
    const dir = `${await h.base()}/d`;
    await h.admin.create(dir);
    const zk = await h.client();
    h.proxy(zk).hold('up'); // the request is lost on the way
    const creating = createProtected(zk, dir, 'node-', null, 'PERSISTENT_SEQUENTIAL', GUID);
    await until(() => h.proxy(zk).dropped > 0, 'the request to be dropped');
    h.proxy(zk).cut();
    const path = await creating;
    expect((await h.admin.getChildren(dir)).children).toEqual([path.slice(dir.length + 1)]);
  });

  it('does not take another session\'s ephemeral node for its own', async () => {
    const dir = `${await h.base()}/d`;
    const other = await h.client();
    await createProtected(other, dir, 'node-', null, 'EPHEMERAL_SEQUENTIAL', GUID);
    const zk = await h.client();
    expect(await findProtected(zk, dir, GUID, 'EPHEMERAL_SEQUENTIAL')).toBeUndefined();
    expect(await findProtected(other, dir, GUID, 'EPHEMERAL_SEQUENTIAL')).toMatch(new RegExp(`^${dir}/_c_${GUID}-node-\\d{10}$`));
  });
});
