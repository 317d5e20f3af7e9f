// Znode kinds and their bookkeeping: every CreateMode through every create opcode, sequential
// naming (after deletes, with cversion), cversion / pzxid rules, ephemerals, containers (reaped
// when the last child goes), TTL nodes (extended types), data sizes.

import type { CaseDef, CaseCtx, Conn } from '../case.js';
import { createdPath } from '../case.js';
import { Mode, R, type Req } from '../requests.js';

const MODES = Object.entries(Mode) as Array<[string, number]>;

export function nodeCases(): CaseDef[] {
  const out: CaseDef[] = [];

  // Every create opcode x every mode (including invalid ones).
  const creators: Array<[string, (p: string, mode: number) => Req]> = [
    ['create', (p, mode) => R.create(p, 'd', { mode })],
    ['create2', (p, mode) => R.create2(p, 'd', { mode })],
    ['createContainer', (p, mode) => R.createContainer(p, 'd', { mode })],
    ['createTTL-1000', (p, mode) => R.createTTL(p, 'd', 1000, { mode })],
    ['createTTL-0', (p, mode) => R.createTTL(p, 'd', 0, { mode })],
    ['createTTL-neg', (p, mode) => R.createTTL(p, 'd', -5, { mode })],
    ['createTTL-over-max', (p, mode) => R.createTTL(p, 'd', 1099511627776n, { mode })],
    ['createTTL-max', (p, mode) => R.createTTL(p, 'd', 1099511627775n, { mode })],
  ];
  const modes: Array<[string, number]> = [...MODES, ['mode-7', 7], ['mode-neg', -1], ['mode-100', 100]];
  for (const [cname, mk] of creators) {
    for (const [mname, mode] of modes) {
      // createTTL with a non-TTL mode and a negative ttl passes ZooKeeper's checks and then throws
      // in its SyncThread while logging the txn: the server shuts down.
      const crashes = cname === 'createTTL-neg' && mode >= 0 && mode <= 4;
      out.push({
        name: `node/${cname}/${mname}`,
        ...(crashes ? { zkCrashes: 'createTTL with a non-TTL CreateMode and ttl < 0 ends ZooKeeper 3.8.0 (SyncThread: "ttl must be positive")' } : {}),
        script: async (c) => {
          const s = await c.connect();
          await s.create('/p', '');
          await s.req(mk('/p/n', mode));
          await s.getChildren2('/p');
          const kids = await s.quiet(R.getChildren('/p'));
          const names = kids.kind === 'reply' ? ((kids.body as { children?: string[] } | undefined)?.children ?? []) : [];
          for (const k of names) await s.exists(`/p/${k}`);
        },
      });
    }
  }
  for (const mode of [Mode.PERSISTENT_WITH_TTL, Mode.PERSISTENT_SEQUENTIAL_WITH_TTL]) {
    out.push({
      name: `node/no-extended-types/createTTL/${mode}`,
      group: 'no-extended-types',
      script: async (c) => {
        const s = await c.connect();
        await s.createTTL('/t', 'd', 10_000, { mode });
        await s.create('/t2', 'd', { mode });
        await s.exists('/t');
      },
    });
  }
  out.push({
    name: 'node/no-extended-types/container-still-works',
    group: 'no-extended-types',
    script: async (c) => {
      const s = await c.connect();
      await s.createContainer('/k', '');
      await s.exists('/k');
    },
  });

  // Sequential naming.
  out.push(
    {
      name: 'seq/basic-ten',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        for (let i = 0; i < 10; i++) await s.create('/p/n-', `${i}`, { mode: i % 2 ? Mode.EPHEMERAL_SEQUENTIAL : Mode.PERSISTENT_SEQUENTIAL });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/after-deletes-and-plain-children',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        const a = createdPath(await s.create('/p/a-', '', { mode: Mode.PERSISTENT_SEQUENTIAL }));
        await s.create('/p/plain', '');
        await s.delete(a);
        await s.delete('/p/plain');
        await s.create('/p/b-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/p/c', '');
        await s.create('/p/c', '');
        await s.create('/p/d-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/trailing-slash-name-is-number',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        await s.create('/p/', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/p/', '', { mode: Mode.EPHEMERAL_SEQUENTIAL });
        await s.create('/p/', '', { mode: Mode.PERSISTENT });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/same-prefix-different-parents',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        await s.create('/q', '');
        await s.create('/p/x', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/q/x', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/p/x', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/in-multi',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        await s.multi([R.create('/p/m-', '', { mode: Mode.PERSISTENT_SEQUENTIAL }), R.create('/p/m-', '', { mode: Mode.PERSISTENT_SEQUENTIAL }), R.create('/p/x', '')]);
        await s.multi([R.create('/p/m-', '', { mode: Mode.PERSISTENT_SEQUENTIAL }), R.create('/p/x', '')]);
        await s.create('/p/m-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/failed-create-does-not-consume',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        await s.create('/p/missing/x-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/p/e', '', { mode: Mode.EPHEMERAL });
        await s.create('/p/e/x-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/p/y-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/ttl-sequential',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        await s.createTTL('/p/t-', 'x', 100_000, { mode: Mode.PERSISTENT_SEQUENTIAL_WITH_TTL });
        await s.createTTL('/p/t-', 'x', 100_000, { mode: Mode.PERSISTENT_SEQUENTIAL_WITH_TTL });
        await s.getChildren2('/p');
      },
    },
    {
      name: 'seq/container-children',
      script: async (c) => {
        const s = await c.connect();
        await s.createContainer('/k', '');
        await s.create('/k/c-', '', { mode: Mode.PERSISTENT_SEQUENTIAL });
        await s.create('/k/c-', '', { mode: Mode.EPHEMERAL_SEQUENTIAL });
        await s.getChildren2('/k');
      },
    },
  );

  // cversion / pzxid / version bookkeeping of the parent.
  const parentOps: Array<[string, (s: Conn) => Promise<unknown>]> = [
    ['create-child', (s) => s.create('/p/c', '')],
    ['create-delete-child', async (s) => { await s.create('/p/c', ''); await s.delete('/p/c'); }],
    ['setData-child', (s) => s.setData('/p/k', 'x')],
    ['setACL-child', (s) => s.setACL('/p/k', [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }])],
    ['create-grandchild', (s) => s.create('/p/k/g', '')],
    ['failed-create-child', (s) => s.create('/p/k', '')],
    ['failed-delete-child', (s) => s.delete('/p/nope')],
    ['setData-parent', (s) => s.setData('/p', 'x')],
    ['ephemeral-child-close', async (s) => { await s.create('/p/e', '', { mode: Mode.EPHEMERAL }); await s.close(); }],
    ['multi-create-delete', (s) => s.multi([R.create('/p/m', ''), R.delete('/p/m')])],
    ['multi-failed', (s) => s.multi([R.create('/p/m', ''), R.delete('/p/nope')])],
    ['seq-children', async (s) => { await s.create('/p/s-', '', { mode: Mode.PERSISTENT_SEQUENTIAL }); await s.create('/p/s-', '', { mode: Mode.PERSISTENT_SEQUENTIAL }); }],
  ];
  for (const [name, op] of parentOps) {
    out.push({
      name: `stat/parent/${name}`,
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', 'd');
        await s.create('/p/k', 'k');
        await s.exists('/p');
        await op(s);
        const t = s.closed ? await c.connect() : s;
        await t.exists('/p');
        await t.exists('/p/k');
        await t.getChildren2('/p');
      },
    });
  }
  out.push({
    name: 'stat/root-of-case',
    script: async (c) => {
      const s = await c.connect();
      await s.exists('/');
      await s.create('/a', '');
      await s.exists('/');
      await s.delete('/a');
      await s.exists('/');
    },
  });

  // Data sizes and contents (default jute.maxbuffer).
  const sizes: Array<[string, number | null]> = [['null', null], ['empty', 0], ['1', 1], ['1k', 1024], ['64k', 65536], ['1MB-minus-overhead', 0xfffff - 200], ['exact-maxbuffer', 0xfffff], ['over-maxbuffer', 0xfffff + 1]];
  for (const [name, size] of sizes) {
    out.push({
      name: `data/size/${name}`,
      script: async (c) => {
        const s = await c.connect();
        const data = size === null ? null : Buffer.alloc(size, 0x61);
        await s.create('/d', data);
        if (!s.closed) await s.exists('/d');
        const t = s.closed ? await c.connect() : s;
        await t.create('/e', '');
        await t.setData('/e', data);
        const u = t.closed ? await c.connect() : t;
        await u.exists('/e');
        await u.getData('/d');
      },
    });
  }
  out.push({
    name: 'data/binary-and-utf8',
    script: async (c) => {
      const s = await c.connect();
      await s.create('/b', Buffer.from([0, 1, 2, 255, 254, 0x80]));
      await s.create('/u', '\u00e9\u4e2d\u{1f600}');
      await s.getData('/b');
      await s.getData('/u');
      await s.create('/\u{1f600}', 'emoji-name');
      await s.getChildren('/');
    },
  });

  // Ephemerals.
  out.push(
    {
      name: 'ephemeral/owner-and-getEphemerals',
      script: async (c) => {
        const s = await c.connect({ label: 'a' });
        const t = await c.connect({ label: 'b' });
        await s.create('/x', '');
        await s.create('/x/e1', '', { mode: Mode.EPHEMERAL });
        await s.create('/x/e2', '', { mode: Mode.EPHEMERAL });
        await s.create('/xy', '', { mode: Mode.EPHEMERAL });
        await t.create('/x/t1', '', { mode: Mode.EPHEMERAL });
        await t.exists('/x/e1');
        for (const prefix of ['/', '/x', '/x/', '/x/e', '/xy', '/none', '!/', '!', '']) await s.getEphemerals(prefix);
        await t.getEphemerals('/');
      },
    },
    {
      name: 'ephemeral/other-session-deletes-and-sets',
      script: async (c) => {
        const s = await c.connect({ label: 'a' });
        const t = await c.connect({ label: 'b' });
        await s.create('/e', 'x', { mode: Mode.EPHEMERAL });
        await t.setData('/e', 'y');
        await t.delete('/e');
        await s.getEphemerals('/');
        await s.create('/e', 'z', { mode: Mode.EPHEMERAL });
      },
    },
    {
      name: 'ephemeral/delete-then-close',
      script: async (c) => {
        const s = await c.connect({ label: 'a' });
        const t = await c.connect({ label: 'b' });
        await s.create('/e', 'x', { mode: Mode.EPHEMERAL });
        await s.delete('/e');
        await t.exists('/e', true);
        await s.close();
        await t.exists('/e');
      },
    },
  );

  // Containers and TTL nodes: reaped by the server's background task.
  const gone = (c: CaseCtx, s: Conn, path: string, desc: string): Promise<boolean> =>
    c.waitFor(desc, async () => {
      const o = await s.quiet(R.exists(path));
      return o.kind === 'reply' && o.err !== 0;
    }, 10_000);
  const stillThere = async (c: CaseCtx, s: Conn, path: string): Promise<void> => {
    // Wait several reaper periods, then look.
    await c.sleep(600);
    await s.exists(path);
  };
  out.push(
    {
      name: 'container/reaped-after-last-child',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        const w = await c.connect({ label: 'watcher' });
        await s.createContainer('/k', 'data');
        await s.create('/k/a', '');
        await s.create('/k/b', '');
        await w.exists('/k', true);
        await w.getChildren('/k', true);
        await s.delete('/k/a');
        await stillThere(c, s, '/k');
        await s.delete('/k/b');
        await gone(c, s, '/k', 'container reaped');
        await s.exists('/k');
      },
    },
    {
      name: 'container/never-used-stays',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        await s.createContainer('/k', '');
        await stillThere(c, s, '/k');
      },
    },
    {
      name: 'container/ephemeral-child-session-closes',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect({ label: 'owner' });
        const w = await c.connect({ label: 'watcher' });
        await w.createContainer('/k', '');
        await s.create('/k/e', '', { mode: Mode.EPHEMERAL });
        await w.exists('/k', true);
        await s.close();
        await gone(c, w, '/k', 'container reaped');
      },
    },
    {
      name: 'container/nested-containers',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        await s.createContainer('/k', '');
        await s.createContainer('/k/k2', '');
        await s.create('/k/k2/leaf', '');
        await s.delete('/k/k2/leaf');
        await gone(c, s, '/k/k2', 'inner container reaped');
        await gone(c, s, '/k', 'outer container reaped');
      },
    },
    {
      name: 'container/setData-and-version-delete',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        await s.createContainer('/k', 'a');
        await s.setData('/k', 'b', 0);
        await s.create('/k/x', '');
        await s.delete('/k', 1);
        await s.delete('/k/x');
        await gone(c, s, '/k', 'container reaped');
      },
    },
    {
      name: 'ttl/expires-without-children',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        const w = await c.connect({ label: 'watcher' });
        await s.createTTL('/t', 'x', 200);
        await w.exists('/t', true);
        await gone(c, s, '/t', 'ttl node reaped');
      },
    },
    {
      name: 'ttl/not-expired-with-child',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        await s.createTTL('/t', 'x', 200);
        await s.create('/t/c', '');
        await stillThere(c, s, '/t');
        await s.delete('/t/c');
        await gone(c, s, '/t', 'ttl node reaped after child removed');
      },
    },
    {
      name: 'ttl/long-ttl-stays',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        await s.createTTL('/t', 'x', 3_600_000);
        await stillThere(c, s, '/t');
        await s.getData('/t');
      },
    },
    {
      name: 'ttl/sequential-ttl-expires',
      quiesceMs: 300,
      script: async (c) => {
        const s = await c.connect();
        await s.create('/p', '');
        const p = createdPath(await s.createTTL('/p/t-', 'x', 200, { mode: Mode.PERSISTENT_SEQUENTIAL_WITH_TTL }));
        await gone(c, s, p, 'sequential ttl node reaped');
        await s.getChildren2('/p');
      },
    },
  );
  return out;
}
