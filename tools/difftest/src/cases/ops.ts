// Every single-path opcode against a systematic set of situations: the node exists, is missing,
// its parent is missing, wrong versions, no permission, an ephemeral parent, children present,
// and every malformed path form. Generated: OPS x SITUATIONS (+ OPS x BAD_PATHS).

import type { CaseDef, CaseCtx, Conn } from '../case.js';
import { Mode, NULL_PATH, R, acl, type Req } from '../requests.js';

export interface OpSpec {
  name: string;
  req(path: string): Req;
  /** The same op with an explicit expected version, if it takes one. */
  versioned?(path: string, version: number): Req;
  /** Creates something (the "exists" situation then means NODEEXISTS). */
  creates?: boolean;
}

export const OPS: OpSpec[] = [
  { name: 'create', creates: true, req: (p) => R.create(p, 'd') },
  { name: 'create2', creates: true, req: (p) => R.create2(p, 'd') },
  { name: 'create-ephemeral', creates: true, req: (p) => R.create(p, 'd', { mode: Mode.EPHEMERAL }) },
  { name: 'create-seq', creates: true, req: (p) => R.create(p, 'd', { mode: Mode.PERSISTENT_SEQUENTIAL }) },
  { name: 'create-eph-seq', creates: true, req: (p) => R.create2(p, 'd', { mode: Mode.EPHEMERAL_SEQUENTIAL }) },
  { name: 'createContainer', creates: true, req: (p) => R.createContainer(p, 'd') },
  { name: 'createTTL', creates: true, req: (p) => R.createTTL(p, 'd', 60_000) },
  { name: 'delete', req: (p) => R.delete(p, -1), versioned: (p, v) => R.delete(p, v) },
  { name: 'exists', req: (p) => R.exists(p, false) },
  { name: 'exists-watch', req: (p) => R.exists(p, true) },
  { name: 'getData', req: (p) => R.getData(p, false) },
  { name: 'getData-watch', req: (p) => R.getData(p, true) },
  { name: 'setData', req: (p) => R.setData(p, 'new', -1), versioned: (p, v) => R.setData(p, 'new', v) },
  { name: 'getACL', req: (p) => R.getACL(p) },
  {
    name: 'setACL',
    req: (p) => R.setACL(p, [acl(31, 'world', 'anyone')], -1),
    versioned: (p, v) => R.setACL(p, [acl(31, 'world', 'anyone')], v),
  },
  { name: 'getChildren', req: (p) => R.getChildren(p, false) },
  { name: 'getChildren-watch', req: (p) => R.getChildren(p, true) },
  { name: 'getChildren2', req: (p) => R.getChildren2(p, false) },
  { name: 'sync', req: (p) => R.sync(p) },
  { name: 'check', req: (p) => R.check(p, -1), versioned: (p, v) => R.check(p, v) },
  { name: 'getAllChildrenNumber', req: (p) => R.getAllChildrenNumber(p) },
  { name: 'getEphemerals', req: (p) => R.getEphemerals(p) },
  { name: 'addWatch-persistent', req: (p) => R.addWatch(p, 0) },
  { name: 'addWatch-recursive', req: (p) => R.addWatch(p, 1) },
  { name: 'checkWatches-any', req: (p) => R.checkWatches(p, 3) },
  { name: 'removeWatches-any', req: (p) => R.removeWatches(p, 3) },
  { name: 'multi-check', req: (p) => R.multi([R.check(p, -1)]) },
  { name: 'multi-setData', req: (p) => R.multi([R.setData(p, 'm', -1)]) },
  { name: 'multi-create', creates: true, req: (p) => R.multi([R.create(p, 'm')]) },
  { name: 'multi-delete', req: (p) => R.multi([R.delete(p, -1)]) },
  { name: 'multiRead-getData', req: (p) => R.multiRead([R.getData(p)]) },
  { name: 'multiRead-getChildren', req: (p) => R.multiRead([R.getChildren(p)]) },
];

/** Malformed (or borderline) path forms; relative ones are placed under the case root. */
export const BAD_PATHS: Array<[string, string]> = [
  ['empty', ''],
  ['relative', 'a'],
  ['null', NULL_PATH],
  ['trailing-slash', '/n/'],
  ['double-slash', '/n//x'],
  ['dot', '/n/./x'],
  ['dotdot', '/n/../x'],
  ['trailing-dot', '/n/.'],
  ['trailing-dotdot', '/n/..'],
  ['nul-char', '/n\u0000x'],
  ['ctrl-char', '/n\u0001x'],
  ['del-char', '/n\u007fx'],
  ['c1-char', '/n\u0085x'],
  ['private-use', '/n\ue000x'],
  ['ffff', '/n\ufffex'],
  ['dot-in-name-ok', '/n.x'],
  ['dots-name-ok', '/n/...'],
  ['space-ok', '/n x'],
  ['unicode-ok', '/n\u00e9\u4e2d'],
  ['just-slash-global', '!/'],
];

const GLOBAL_ROOT_SAFE = new Set([
  'create', 'create2', 'create-ephemeral', 'createContainer', 'createTTL', 'delete', 'sync', 'check', 'getEphemerals',
  'addWatch-persistent', 'addWatch-recursive', 'checkWatches-any', 'removeWatches-any', 'multi-check', 'multi-create', 'multi-delete',
]);

async function fixture(c: CaseCtx): Promise<Conn> {
  const s = await c.connect();
  await s.create('/n', 'v');
  return s;
}

type Situation = { name: string; applies(op: OpSpec): boolean; run(c: CaseCtx, op: OpSpec): Promise<void> };

const SITUATIONS: Situation[] = [
  {
    name: 'existing',
    applies: () => true,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.req('/n'));
      await s.getData('/n');
    },
  },
  {
    name: 'missing',
    applies: () => true,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.req('/missing'));
      await s.exists('/missing');
    },
  },
  {
    name: 'missing-parent',
    applies: () => true,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.req('/missing/x'));
    },
  },
  {
    name: 'child-of-existing',
    applies: (op) => !!op.creates,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.req('/n/child'));
      await s.getChildren2('/n');
    },
  },
  {
    name: 'version-match',
    applies: (op) => !!op.versioned,
    async run(c, op) {
      const s = await fixture(c);
      await s.setData('/n', 'v1', 0);
      await s.req(op.versioned!('/n', 1));
    },
  },
  {
    name: 'version-mismatch',
    applies: (op) => !!op.versioned,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.versioned!('/n', 7));
      await s.getData('/n');
    },
  },
  {
    name: 'version-minus-2',
    applies: (op) => !!op.versioned,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.versioned!('/n', -2));
    },
  },
  {
    name: 'version-on-missing',
    applies: (op) => !!op.versioned,
    async run(c, op) {
      const s = await fixture(c);
      await s.req(op.versioned!('/missing', 3));
    },
  },
  {
    name: 'no-permission',
    applies: () => true,
    async run(c, op) {
      const s = await c.connect();
      await s.create('/n', 'v', { acl: [acl(31, 'digest', 'someone:AAAAAAAAAAAAAAAAAAAAAAAAAAA=')] });
      await s.req(op.req(op.creates ? '/n/child' : '/n'));
    },
  },
  {
    name: 'under-ephemeral',
    applies: (op) => !!op.creates,
    async run(c, op) {
      const s = await c.connect();
      await s.create('/e', 'v', { mode: Mode.EPHEMERAL });
      await s.req(op.req('/e/child'));
      await s.getChildren2('/e');
    },
  },
  {
    name: 'with-children',
    applies: (op) => !op.creates,
    async run(c, op) {
      const s = await fixture(c);
      await s.create('/n/k1', '1');
      await s.create('/n/k2', '2', { mode: Mode.EPHEMERAL });
      await s.req(op.req('/n'));
      await s.getChildren2('/n');
    },
  },
  {
    name: 'case-root',
    // A sequential create on the case root makes a sibling of it under the global root, named by
    // the global root's cversion, which depends on everything run before.
    applies: (op) => !op.name.includes('seq'),
    async run(c, op) {
      const s = await c.connect();
      await s.req(op.req('/'));
    },
  },
];

export function opCases(): CaseDef[] {
  const out: CaseDef[] = [];
  for (const op of OPS) {
    for (const sit of SITUATIONS) {
      if (!sit.applies(op)) continue;
      out.push({ name: `op/${op.name}/${sit.name}`, script: (c) => sit.run(c, op) });
    }
  }
  for (const op of OPS) {
    for (const [bad, path] of BAD_PATHS) {
      // On the global root: no writes that would change what later cases see, and no reads of
      // its stat or children (they depend on every case run before).
      if (path === '!/' && !GLOBAL_ROOT_SAFE.has(op.name)) continue;
      out.push({
        name: `path/${op.name}/${bad}`,
        script: async (c) => {
          const s = await fixture(c);
          await s.req(op.req(path));
          if (!path.startsWith('!')) await s.getChildren2('/n');
        },
      });
    }
  }
  return out;
}
