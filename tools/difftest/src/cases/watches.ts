// Watches: one-shot data / exist / child watches and every event type, several watchers,
// deduplication, ordering of events against replies; persistent and persistent-recursive
// watches (addWatch); checkWatches / removeWatches for every watcher type.

import type { CaseDef, CaseCtx, Conn } from '../case.js';
import { Mode, R, type Req } from '../requests.js';

type Setter = { name: string; set(s: Conn): Promise<unknown> };
type Trigger = { name: string; run(w: Conn): Promise<unknown> };

/** Ways a session can watch /w (which exists with one child /w/k unless noted). */
const SETTERS: Setter[] = [
  { name: 'getData', set: (s) => s.getData('/w', true) },
  { name: 'exists', set: (s) => s.exists('/w', true) },
  { name: 'getChildren', set: (s) => s.getChildren('/w', true) },
  { name: 'getChildren2', set: (s) => s.getChildren2('/w', true) },
  { name: 'exists-child', set: (s) => s.exists('/w/k', true) },
  { name: 'getData-child', set: (s) => s.getData('/w/k', true) },
  { name: 'getChildren-child', set: (s) => s.getChildren('/w/k', true) },
  { name: 'persistent', set: (s) => s.addWatch('/w', 0) },
  { name: 'recursive', set: (s) => s.addWatch('/w', 1) },
  { name: 'data+child', set: async (s) => { await s.getData('/w', true); await s.getChildren('/w', true); } },
  { name: 'exists+getData', set: async (s) => { await s.exists('/w', true); await s.getData('/w', true); } },
  { name: 'persistent+getData', set: async (s) => { await s.addWatch('/w', 0); await s.getData('/w', true); } },
  { name: 'recursive+getChildren', set: async (s) => { await s.addWatch('/w', 1); await s.getChildren('/w', true); } },
  { name: 'persistent+recursive', set: async (s) => { await s.addWatch('/w', 0); await s.addWatch('/w', 1); } },
  { name: 'multiRead-getData', set: (s) => s.multiRead([R.getData('/w', true)]) },
];

/** Changes made by the writer session. */
const TRIGGERS: Trigger[] = [
  { name: 'setData', run: (w) => w.setData('/w', 'changed') },
  { name: 'setData-twice', run: async (w) => { await w.setData('/w', 'a'); await w.setData('/w', 'b'); } },
  { name: 'setData-child', run: (w) => w.setData('/w/k', 'changed') },
  { name: 'create-child', run: (w) => w.create('/w/k2', 'c') },
  { name: 'create-grandchild', run: (w) => w.create('/w/k/g', 'g') },
  { name: 'delete-child', run: (w) => w.delete('/w/k') },
  { name: 'delete-node', run: async (w) => { await w.delete('/w/k'); await w.delete('/w'); } },
  { name: 'recreate-node', run: async (w) => { await w.delete('/w/k'); await w.delete('/w'); await w.create('/w', 'again'); } },
  { name: 'setACL', run: (w) => w.setACL('/w', [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]) },
  { name: 'multi', run: (w) => w.multi([R.setData('/w', 'm'), R.create('/w/k2', ''), R.delete('/w/k')]) },
  { name: 'failed-multi', run: (w) => w.multi([R.setData('/w', 'm'), R.create('/w/k', '')]) },
  { name: 'failed-setData', run: (w) => w.setData('/w', 'x', 99) },
  { name: 'sync', run: (w) => w.sync('/w') },
  { name: 'create-ephemeral-child-then-close', run: async (w) => { await w.create('/w/e', '', { mode: Mode.EPHEMERAL }); await w.close(); } },
];

async function watchFixture(c: CaseCtx): Promise<{ w: Conn; s: Conn }> {
  const w = await c.connect({ label: 'writer' });
  await w.create('/w', 'd');
  await w.create('/w/k', 'k');
  const s = await c.connect({ label: 'watcher' });
  return { w, s };
}

export function watchCases(): CaseDef[] {
  const out: CaseDef[] = [];
  for (const st of SETTERS) {
    for (const tr of TRIGGERS) {
      out.push({
        name: `watch/${st.name}/${tr.name}`,
        script: async (c) => {
          const { w, s } = await watchFixture(c);
          await st.set(s);
          await tr.run(w);
          // Fire again: one-shot watches are gone, persistent ones stay.
          if (!w.closed) await w.create('/w2', 'probe');
          if (!w.closed) await w.setData('/w', 'again').catch(() => undefined);
        },
      });
    }
  }

  // The watcher makes the change itself: event and reply order on one connection.
  for (const st of SETTERS) {
    out.push({
      name: `watch/self/${st.name}/setData`,
      script: async (c) => {
        const { s } = await watchFixture(c);
        await st.set(s);
        await s.setData('/w', 'mine');
        await s.create('/w/mine', '');
      },
    });
  }

  // Watches on nodes that do not exist.
  const missing: Array<[string, (s: Conn) => Promise<unknown>]> = [
    ['exists', (s) => s.exists('/m', true)],
    ['getData', (s) => s.getData('/m', true)],
    ['getChildren', (s) => s.getChildren('/m', true)],
    ['persistent', (s) => s.addWatch('/m', 0)],
    ['recursive', (s) => s.addWatch('/m', 1)],
    ['recursive-parent', (s) => s.addWatch('/', 1)],
  ];
  for (const [name, set] of missing) {
    out.push({
      name: `watch/missing/${name}`,
      script: async (c) => {
        const w = await c.connect({ label: 'writer' });
        const s = await c.connect({ label: 'watcher' });
        await set(s);
        await w.create('/m', 'now');
        await w.create('/m/x', 'x');
        await w.setData('/m', 'changed');
        await w.delete('/m/x');
        await w.delete('/m');
      },
    });
  }

  // Several sessions watching the same node; the same session setting the same watch twice.
  out.push(
    {
      name: 'watch/three-sessions',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        const t = await c.connect({ label: 'w2' });
        const u = await c.connect({ label: 'w3' });
        await s.getData('/w', true);
        await t.exists('/w', true);
        await u.getChildren('/w', true);
        await w.setData('/w', 'x');
        await w.delete('/w/k');
        await w.delete('/w');
      },
    },
    {
      name: 'watch/same-watch-twice',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        await s.getData('/w', true);
        await s.getData('/w', true);
        await s.exists('/w', true);
        await w.setData('/w', 'x');
        await w.setData('/w', 'y');
      },
    },
    {
      name: 'watch/pipelined-reads-and-change',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        await s.batch([R.getData('/w', true), R.getChildren('/w', true), R.exists('/w/k', true), R.exists('/nope', true)]);
        await w.multi([R.setData('/w', '1'), R.delete('/w/k'), R.create('/nope', '')]);
      },
    },
    {
      name: 'watch/own-write-pipelined',
      script: async (c) => {
        const { s } = await watchFixture(c);
        await s.batch([R.getData('/w', true), R.setData('/w', 'a'), R.getData('/w', true), R.setData('/w', 'b'), R.exists('/w')]);
      },
    },
    {
      name: 'watch/deep-recursive',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        await s.addWatch('/', 1);
        await w.create('/w/k/a', '');
        await w.create('/w/k/a/b', '');
        await w.setData('/w/k/a/b', 'x');
        await w.create('/z', '', { mode: Mode.EPHEMERAL_SEQUENTIAL });
        await w.delete('/w/k/a/b');
        await w.close();
      },
    },
    {
      name: 'watch/recursive-child-watch-overlap',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        await s.addWatch('/w', 1);
        await s.getChildren('/w', true);
        await s.getData('/w/k', true);
        await w.create('/w/k2', '');
        await w.setData('/w/k', 'x');
        await w.delete('/w/k2');
      },
    },
    {
      name: 'watch/persistent-on-root-of-case-and-ephemerals',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        await s.addWatch('/w', 0);
        await w.create('/w/e1', '', { mode: Mode.EPHEMERAL });
        await w.create('/w/e2', '', { mode: Mode.EPHEMERAL });
        await w.close();
        await s.getChildren('/w');
      },
    },
    {
      name: 'watch/container-and-ttl-creation',
      script: async (c) => {
        const { w, s } = await watchFixture(c);
        await s.exists('/cont', true);
        await s.exists('/ttl', true);
        await s.getChildren('/', true);
        await w.createContainer('/cont', '');
        await w.createTTL('/ttl', '', 100_000);
      },
    },
  );

  // removeWatches / checkWatches: every watcher type against every kind of watch present.
  const present: Array<[string, (s: Conn) => Promise<unknown>]> = [
    ['none', async () => undefined],
    ['data', (s) => s.getData('/w', true)],
    ['exist-missing', (s) => s.exists('/w/none', true)],
    ['child', (s) => s.getChildren('/w', true)],
    ['data+child', async (s) => { await s.getData('/w', true); await s.getChildren('/w', true); }],
    ['persistent', (s) => s.addWatch('/w', 0)],
    ['recursive', (s) => s.addWatch('/w', 1)],
  ];
  const types: Array<[string, number]> = [['Children', 1], ['Data', 2], ['Any', 3], ['Persistent', 4], ['PersistentRecursive', 5], ['bogus-9', 9], ['zero', 0]];
  for (const [pname, set] of present) {
    for (const [tname, type] of types) {
      for (const op of ['removeWatches', 'checkWatches'] as const) {
        const path = pname === 'exist-missing' ? '/w/none' : '/w';
        out.push({
          name: `watch/${op}/${tname}/${pname}`,
          script: async (c) => {
            const { w, s } = await watchFixture(c);
            await set(s);
            await s.req(op === 'removeWatches' ? R.removeWatches(path, type) : R.checkWatches(path, type));
            await s.req(R.checkWatches(path, 3));
            await w.setData('/w', 'after');
            await w.create('/w/none', '');
            await w.create('/w/k3', '');
          },
        });
      }
    }
  }
  out.push({
    name: 'watch/removeWatches/other-session',
    script: async (c) => {
      const { w, s } = await watchFixture(c);
      await s.getData('/w', true);
      await w.removeWatches('/w', 3);
      await w.checkWatches('/w', 3);
      await w.setData('/w', 'x');
    },
  });
  out.push({
    name: 'watch/removeWatches/missing-node',
    script: async (c) => {
      const { s } = await watchFixture(c);
      await s.removeWatches('/nothing', 3);
      await s.checkWatches('/nothing', 2);
    },
  });
  return out;
}

// Set / re-attach with missed changes since relativeZxid (setWatches opcode 101, setWatches2 105).
export function setWatchesCases(): CaseDef[] {
  const out: CaseDef[] = [];
  type Kind = 'data' | 'exist' | 'child' | 'persistent' | 'recursive';
  const kinds: Kind[] = ['data', 'exist', 'child', 'persistent', 'recursive'];
  const changes: Array<[string, (w: Conn) => Promise<unknown>]> = [
    ['nothing', async () => undefined],
    ['setData', (w) => w.setData('/w', 'x')],
    ['create-child', (w) => w.create('/w/new', '')],
    ['delete-child', (w) => w.delete('/w/k')],
    ['setData-child', (w) => w.setData('/w/k', 'x')],
    ['delete-node', async (w) => { await w.delete('/w/k'); await w.delete('/w'); }],
    ['create-missing', (w) => w.create('/m', '')],
  ];
  const watchReq = (k: Kind, zxid: bigint, path: string, v2: boolean): Req => {
    const lists: Record<Kind, string[]> = { data: [], exist: [], child: [], persistent: [], recursive: [] };
    lists[k].push(path);
    return v2
      ? R.setWatches2(zxid, lists.data, lists.exist, lists.child, lists.persistent, lists.recursive)
      : R.setWatches(zxid, lists.data, lists.exist, lists.child);
  };
  for (const k of kinds) {
    for (const [cname, change] of changes) {
      for (const v2 of k === 'persistent' || k === 'recursive' ? [true] : [false, true]) {
        out.push({
          name: `setWatches/${v2 ? 'v2' : 'v1'}/${k}/${cname}`,
          script: async (c) => {
            const w = await c.connect({ label: 'writer' });
            await w.create('/w', 'd');
            await w.create('/w/k', 'k');
            const s = await c.connect({ label: 'watcher' });
            await s.exists('/w');
            const seen = s.lastZxid;
            await s.drop();
            await change(w);
            const s2 = await s.reattach();
            const path = cname === 'create-missing' || k === 'exist' ? '/m' : '/w';
            await s2.req(watchReq(k, seen, path, v2));
            await w.setData('/w', 'later').catch(() => undefined);
            await w.create('/w/later', '').catch(() => undefined);
            await w.create('/m', '').catch(() => undefined);
          },
        });
      }
    }
  }
  out.push(
    {
      name: 'setWatches/fresh-session-zxid-0',
      script: async (c) => {
        const w = await c.connect({ label: 'writer' });
        await w.create('/w', 'd');
        const s = await c.connect({ label: 'watcher' });
        await s.req(R.setWatches(0n, ['/w'], ['/m'], ['/w']));
        await w.setData('/w', 'x');
      },
    },
    {
      name: 'setWatches/future-zxid',
      script: async (c) => {
        const w = await c.connect({ label: 'writer' });
        await w.create('/w', 'd');
        const s = await c.connect({ label: 'watcher' });
        await s.req(R.setWatches(0x7fffffffffffn, ['/w'], ['/m'], ['/w']));
        await w.setData('/w', 'x');
        await w.create('/m', '');
      },
    },
    {
      name: 'setWatches/xid-not-minus-8',
      script: async (c) => {
        const w = await c.connect({ label: 'writer' });
        await w.create('/w', 'd');
        const s = await c.connect({ label: 'watcher' });
        await s.req(R.withXid(R.setWatches(0n, ['/w'], [], []), 77));
        await w.setData('/w', 'x');
      },
    },
    {
      name: 'setWatches/many-paths',
      script: async (c) => {
        const w = await c.connect({ label: 'writer' });
        await w.create('/w', 'd');
        const s = await c.connect({ label: 'watcher' });
        const paths = Array.from({ length: 50 }, (_, i) => `/p${i}`);
        await s.req(R.setWatches(0n, [], paths, []));
        for (let i = 0; i < 50; i += 10) await w.create(`/p${i}`, '');
      },
    },
    {
      name: 'setWatches/bad-path',
      script: async (c) => {
        const s = await c.connect({ label: 'watcher' });
        await s.req(R.setWatches(0n, ['bad'], ['/x/'], ['']));
        await s.exists('/');
      },
    },
  );
  return out;
}
