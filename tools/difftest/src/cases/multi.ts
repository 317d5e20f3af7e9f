// multi (14) and multiRead (22): success, failure at each position with each kind of failing op,
// per-op results, ops that may not appear, dependencies inside one multi, watches fired by multi.

import type { CaseDef, Conn } from '../case.js';
import { Mode, R, acl, type MultiOp } from '../requests.js';
import { Writer } from '../wire.js';

/** Ops that succeed on the fixture (/m exists v0 with child /m/k; /free does not exist). */
const GOOD: Array<[string, MultiOp]> = [
  ['create', R.create('/free', 'f')],
  ['create2', R.create2('/free2', 'f')],
  ['createContainer', R.createContainer('/cont', '')],
  ['createTTL', R.createTTL('/ttl', '', 100_000)],
  ['create-seq', R.create('/m/s-', '', { mode: Mode.PERSISTENT_SEQUENTIAL })],
  ['create-ephemeral', R.create('/eph', '', { mode: Mode.EPHEMERAL })],
  ['delete', R.delete('/m/k', 0)],
  ['setData', R.setData('/m', 'new', 0)],
  ['check', R.check('/m', 0)],
];

/** Ops that fail on the fixture. */
const BAD: Array<[string, MultiOp]> = [
  ['create-NODEEXISTS', R.create('/m', '')],
  ['create-NONODE', R.create('/none/x', '')],
  ['create-BADARGS', R.create('/m/', '')],
  ['create-NOCHILDRENFOREPHEMERALS', R.create('/e/x', '')],
  ['create-NOAUTH', R.create('/locked/x', '')],
  ['create-INVALIDACL', R.create('/free', '', { acl: [] })],
  ['delete-NONODE', R.delete('/none')],
  ['delete-BADVERSION', R.delete('/m/k', 5)],
  ['delete-NOTEMPTY', R.delete('/m')],
  ['setData-NONODE', R.setData('/none', '')],
  ['setData-BADVERSION', R.setData('/m', '', 9)],
  ['setData-NOAUTH', R.setData('/locked', '')],
  ['check-NONODE', R.check('/none', 0)],
  ['check-BADVERSION', R.check('/m', 3)],
  ['check-NOAUTH', R.check('/locked', 0)],
];

async function fixture(c: Parameters<CaseDef['script']>[0]): Promise<Conn> {
  const s = await c.connect();
  await s.create('/m', 'v');
  await s.create('/m/k', 'k');
  await s.create('/e', '', { mode: Mode.EPHEMERAL });
  await s.create('/locked', '', { acl: [acl(1, 'digest', 'x:AAAAAAAAAAAAAAAAAAAAAAAAAAA=')] });
  return s;
}

async function after(s: Conn): Promise<void> {
  await s.getChildren2('/');
  await s.getData('/m');
  await s.getChildren2('/m');
}

export function multiCases(): CaseDef[] {
  const out: CaseDef[] = [];
  for (const [name, op] of GOOD) {
    out.push({ name: `multi/single-ok/${name}`, script: async (c) => { const s = await fixture(c); await s.multi([op]); await after(s); } });
  }
  for (const [name, op] of BAD) {
    out.push({ name: `multi/single-fail/${name}`, script: async (c) => { const s = await fixture(c); await s.multi([op]); await after(s); } });
    // Failing op at each position of a four-op multi.
    for (let pos = 0; pos < 4; pos++) {
      const ops: MultiOp[] = [R.create('/a', 'a'), R.setData('/m', 'x'), R.create('/b', 'b'), R.check('/m/k', 0)];
      ops.splice(pos, 0, op);
      out.push({ name: `multi/fail-at-${pos}/${name}`, script: async (c) => { const s = await fixture(c); await s.multi(ops); await after(s); } });
    }
  }
  out.push(
    { name: 'multi/all-good', script: async (c) => { const s = await fixture(c); await s.multi(GOOD.map(([, o]) => o)); await after(s); await s.getEphemerals('/'); } },
    { name: 'multi/empty', script: async (c) => { const s = await fixture(c); await s.multi([]); await s.multiRead([]); } },
    { name: 'multi/two-failures', script: async (c) => { const s = await fixture(c); await s.multi([R.create('/a', ''), R.delete('/none'), R.setData('/m', '', 9)]); await after(s); } },
    {
      name: 'multi/dependent-ops',
      script: async (c) => {
        const s = await fixture(c);
        await s.multi([R.create('/x', '1'), R.create('/x/y', '2'), R.setData('/x', '3', 0), R.check('/x', 1), R.delete('/x/y', 0), R.setData('/x/y', 'gone')]);
        await s.multi([R.create('/x', '1'), R.create('/x/y', '2'), R.setData('/x', '3', 0), R.check('/x', 1), R.delete('/x/y', 0), R.delete('/x', 1)]);
        await after(s);
      },
    },
    {
      name: 'multi/delete-then-recreate',
      script: async (c) => {
        const s = await fixture(c);
        await s.multi([R.delete('/m/k'), R.create('/m/k', 'new'), R.setData('/m/k', 'newer', 0)]);
        await s.getData('/m/k');
      },
    },
    {
      name: 'multi/create-same-twice',
      script: async (c) => {
        const s = await fixture(c);
        await s.multi([R.create('/d', ''), R.create('/d', '')]);
        await s.exists('/d');
      },
    },
    {
      name: 'multi/watches-fired',
      script: async (c) => {
        const s = await fixture(c);
        const w = await c.connect({ label: 'watcher' });
        await w.getData('/m', true);
        await w.getChildren('/m', true);
        await w.exists('/n', true);
        await w.addWatch('/m', 1);
        await s.multi([R.setData('/m', '1'), R.create('/m/z', ''), R.delete('/m/k'), R.create('/n', ''), R.setData('/m', '2')]);
      },
    },
    {
      name: 'multi/failed-fires-no-watches',
      script: async (c) => {
        const s = await fixture(c);
        const w = await c.connect({ label: 'watcher' });
        await w.getData('/m', true);
        await s.multi([R.setData('/m', '1'), R.delete('/none')]);
        await s.setData('/m', '2');
      },
    },
    {
      name: 'multi/read-op-inside-multi',
      script: async (c) => {
        const s = await fixture(c);
        await s.multi([R.getData('/m'), R.setData('/m', 'x')]);
        await s.multi([R.getChildren('/m')]);
        await s.getData('/m');
      },
    },
    {
      name: 'multiRead/mixed-results',
      script: async (c) => {
        const s = await fixture(c);
        await s.multiRead([R.getData('/m'), R.getChildren('/m'), R.getData('/none'), R.getChildren('/none'), R.getData('/locked'), R.getChildren('/locked'), R.getData('/m/k')]);
      },
    },
    {
      name: 'multiRead/with-watches',
      script: async (c) => {
        const s = await fixture(c);
        await s.multiRead([R.getData('/m', true), R.getChildren('/m', true), R.getData('/none', true)]);
        const w = await c.connect({ label: 'writer' });
        await w.setData('/m', 'x');
        await w.create('/m/new', '');
        await w.create('/none', '');
      },
    },
    {
      name: 'multiRead/write-op-inside',
      script: async (c) => {
        const s = await fixture(c);
        await s.multiRead([R.getData('/m'), R.setData('/m', 'x')]);
        await s.multiRead([R.create('/q', '')]);
        await s.multiRead([R.check('/m', 0)]);
        await s.exists('/q');
      },
    },
    {
      name: 'multi/bad-path',
      script: async (c) => {
        const s = await fixture(c);
        await s.multi([R.create('/ok', ''), R.create('bad', '')]);
        await s.multi([R.setData('/m/', '')]);
        await s.multiRead([R.getData('bad'), R.getData('/m')]);
      },
    },
    {
      name: 'multi/big',
      script: async (c) => {
        const s = await fixture(c);
        await s.multi(Array.from({ length: 200 }, (_, i) => R.create(`/big${i}`, `${i}`)));
        await s.getAllChildrenNumber('/');
        await s.multi(Array.from({ length: 200 }, (_, i) => R.delete(`/big${i}`)));
        await s.getAllChildrenNumber('/');
      },
    },
  );

  // Hand-made multi encodings the server must refuse.
  const raw = (build: (w: Writer) => void): Uint8Array => {
    const w = new Writer();
    build(w);
    return w.bytes();
  };
  const rawCases: Array<[string, Uint8Array]> = [
    ['nested-multi-op', raw((w) => { w.int(14).bool(false).int(-1); w.int(-1).bool(true).int(-1); w.int(-1).bool(true).int(-1); })],
    ['unknown-op-type', raw((w) => { w.int(99).bool(false).int(-1).string('/x'); w.int(-1).bool(true).int(-1); })],
    ['no-terminator', raw((w) => { w.int(13).bool(false).int(-1).string('/m').int(0); })],
    ['ping-op', raw((w) => { w.int(11).bool(false).int(-1); w.int(-1).bool(true).int(-1); })],
    ['done-with-other-type', raw((w) => { w.int(13).bool(false).int(-1); w.string('/m').int(-1); w.int(5).bool(true).int(0); })],
    ['trailing-bytes', raw((w) => { w.int(13).bool(false).int(-1).string('/m').int(-1); w.int(-1).bool(true).int(-1); w.int(7); })],
  ];
  for (const [name, body] of rawCases) {
    for (const op of [14, 22]) {
      out.push({
        name: `multi/raw/${op === 14 ? 'multi' : 'multiRead'}/${name}`,
        script: async (c) => {
          const s = await fixture(c);
          // The body refers to /m relative to the root: write absolute paths by hand instead.
          await s.req(R.raw(op, body, `raw ${op === 14 ? 'multi' : 'multiRead'} ${name}`));
          if (!s.closed) await s.exists('/m');
        },
      });
    }
  }
  return out;
}
