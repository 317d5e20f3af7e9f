// ACLs: each permission bit (granted alone, and withheld alone) x each operation that could need
// it; schemes world / auth / digest / ip / unknown; malformed ACLs; setAuth; super.

import type { CaseDef, CaseCtx, Conn } from '../case.js';
import { Mode, OPEN_ACL_UNSAFE, Perm, R, acl, type Req } from '../requests.js';
import { digestFor, SUPER_PASSWORD, SUPER_USER } from '@zk/testkit';

const PERM_BITS: Array<[string, number]> = [
  ['READ', Perm.READ],
  ['WRITE', Perm.WRITE],
  ['CREATE', Perm.CREATE],
  ['DELETE', Perm.DELETE],
  ['ADMIN', Perm.ADMIN],
];

/** Operations on /p (which has the ACL under test and one child /p/k). */
const ACL_OPS: Array<[string, Req]> = [
  ['getData', R.getData('/p')],
  ['exists', R.exists('/p')],
  ['getChildren', R.getChildren('/p')],
  ['getChildren2', R.getChildren2('/p')],
  ['getACL', R.getACL('/p')],
  ['setData', R.setData('/p', 'w')],
  ['setACL', R.setACL('/p', OPEN_ACL_UNSAFE)],
  ['create-child', R.create('/p/new', 'c')],
  ['create2-child', R.create2('/p/new', 'c')],
  ['createContainer-child', R.createContainer('/p/new', 'c')],
  ['createTTL-child', R.createTTL('/p/new', 'c', 60_000)],
  ['delete-child', R.delete('/p/k')],
  ['delete-self', R.delete('/p')],
  ['check', R.check('/p', 0)],
  ['sync', R.sync('/p')],
  ['getAllChildrenNumber', R.getAllChildrenNumber('/p')],
  ['addWatch', R.addWatch('/p', 0)],
  ['multi-setData', R.multi([R.setData('/p', 'm')])],
  ['multi-check', R.multi([R.check('/p', 0)])],
  ['multiRead-getData', R.multiRead([R.getData('/p')])],
  ['multiRead-getChildren', R.multiRead([R.getChildren('/p')])],
  ['getData-child', R.getData('/p/k')],
];

async function withAcl(c: CaseCtx, aclList: ReturnType<typeof acl>[], auth?: [string, string]): Promise<Conn> {
  const owner = await c.connect({ label: 'owner' });
  await owner.create('/p', 'data');
  await owner.create('/p/k', 'kid');
  await owner.setACL('/p', aclList);
  const s = await c.connect({ label: 'user' });
  if (auth) await s.auth(auth[0], auth[1]);
  return s;
}

export function aclCases(): CaseDef[] {
  const out: CaseDef[] = [];
  const matrix: Array<[string, number]> = [
    ...PERM_BITS.map(([n, p]): [string, number] => [`only-${n}`, p]),
    ...PERM_BITS.map(([n, p]): [string, number] => [`all-but-${n}`, 31 & ~p]),
    ['none', 0],
  ];
  for (const [aname, perms] of matrix) {
    for (const [oname, req] of ACL_OPS) {
      out.push({
        name: `acl/world/${aname}/${oname}`,
        script: async (c) => {
          const s = await withAcl(c, [acl(perms, 'world', 'anyone')]);
          await s.req(req);
        },
      });
    }
  }

  // Digest scheme: authenticated as the right user, a wrong password, another user, nobody.
  const alice = digestFor('alice', 'pw');
  const who: Array<[string, [string, string] | undefined]> = [
    ['right-user', ['digest', 'alice:pw']],
    ['wrong-password', ['digest', 'alice:nope']],
    ['other-user', ['digest', 'bob:pw']],
    ['unauthenticated', undefined],
    ['super', ['digest', `${SUPER_USER}:${SUPER_PASSWORD}`]],
  ];
  for (const [wname, auth] of who) {
    for (const [oname, req] of ACL_OPS) {
      out.push({
        name: `acl/digest/${wname}/${oname}`,
        script: async (c) => {
          const s = await withAcl(c, [acl(31, 'digest', alice)], auth);
          await s.req(req);
        },
      });
    }
  }

  // IP scheme.
  const ips: Array<[string, string]> = [
    ['exact', '127.0.0.1'],
    ['cidr-8', '127.0.0.0/8'],
    ['cidr-32', '127.0.0.1/32'],
    ['cidr-0', '0.0.0.0/0'],
    ['other', '10.1.2.3'],
    ['other-cidr', '10.0.0.0/8'],
  ];
  for (const [iname, ip] of ips) {
    for (const [oname, req] of [ACL_OPS[0]!, ACL_OPS[5]!, ACL_OPS[7]!]) {
      out.push({
        name: `acl/ip/${iname}/${oname}`,
        script: async (c) => {
          const s = await withAcl(c, [acl(31, 'ip', ip)]);
          await s.req(req);
        },
      });
    }
  }

  // Malformed / special ACL lists, on create and on setACL.
  const badAcls: Array<[string, ReturnType<typeof acl>[] | null]> = [
    ['empty-list', []],
    ['null-list', null],
    ['unknown-scheme', [acl(31, 'nosuch', 'x')]],
    ['world-other-id', [acl(31, 'world', 'someone')]],
    ['auth-unauthenticated', [acl(31, 'auth', '')]],
    ['auth-with-id', [acl(31, 'auth', 'ignored')]],
    ['digest-no-colon', [acl(31, 'digest', 'nocolon')]],
    ['digest-plain', [acl(31, 'digest', 'alice:pw')]],
    ['ip-bad', [acl(31, 'ip', '300.1.1.1')]],
    ['ip-bad-mask', [acl(31, 'ip', '127.0.0.1/33')]],
    ['ip-garbage', [acl(31, 'ip', 'hello')]],
    ['ipv6', [acl(31, 'ip', '::1')]],
    ['x509', [acl(31, 'x509', 'CN=x')]],
    ['sasl', [acl(31, 'sasl', 'user')]],
    ['super-scheme', [acl(31, 'super', '')]],
    ['perms-zero', [acl(0, 'world', 'anyone')]],
    ['perms-high-bits', [acl(0xff, 'world', 'anyone')]],
    ['perms-negative', [acl(-1, 'world', 'anyone')]],
    ['duplicate-entries', [acl(1, 'world', 'anyone'), acl(1, 'world', 'anyone')]],
    ['mixed-valid-invalid', [acl(31, 'world', 'anyone'), acl(31, 'nosuch', 'x')]],
    ['two-ids', [acl(1, 'world', 'anyone'), acl(30, 'ip', '127.0.0.1')]],
  ];
  for (const [bname, list] of badAcls) {
    out.push({
      name: `acl/bad/${bname}/create`,
      script: async (c) => {
        const s = await c.connect();
        await s.create('/x', 'd', { acl: list });
        await s.getACL('/x');
      },
    });
    out.push({
      name: `acl/bad/${bname}/setACL`,
      script: async (c) => {
        const s = await c.connect();
        await s.create('/x', 'd');
        await s.setACL('/x', list);
        await s.getACL('/x');
        await s.getData('/x');
      },
    });
  }

  // The auth scheme: replaced by the caller's authenticated ids.
  out.push(
    {
      name: 'acl/auth/creator-all-after-digest',
      script: async (c) => {
        const s = await c.connect();
        await s.addDigest('alice', 'pw');
        await s.create('/x', 'd', { acl: [acl(31, 'auth', '')] });
        await s.getACL('/x');
        await s.getData('/x');
        const t = await c.connect();
        await t.getData('/x');
        await t.addDigest('alice', 'pw');
        await t.getData('/x');
      },
    },
    {
      name: 'acl/auth/two-digests',
      script: async (c) => {
        const s = await c.connect();
        await s.addDigest('alice', 'pw');
        await s.addDigest('bob', 'pw2');
        await s.create('/x', 'd', { acl: [acl(31, 'auth', '')] });
        await s.getACL('/x');
        await s.whoAmI();
      },
    },
    {
      name: 'acl/auth/same-digest-twice',
      script: async (c) => {
        const s = await c.connect();
        await s.addDigest('alice', 'pw');
        await s.addDigest('alice', 'pw');
        await s.create('/x', 'd', { acl: [acl(31, 'auth', '')] });
        await s.getACL('/x');
        await s.whoAmI();
      },
    },
    {
      name: 'acl/auth/setACL-auth',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/x', 'd');
        await s.addDigest('alice', 'pw');
        await s.setACL('/x', [acl(7, 'auth', '')]);
        await s.getACL('/x');
      },
    },
    {
      name: 'acl/auth/auth-plus-world',
      script: async (c) => {
        const s = await c.connect();
        await s.addDigest('alice', 'pw');
        await s.create('/x', 'd', { acl: [acl(31, 'auth', ''), acl(1, 'world', 'anyone')] });
        await s.getACL('/x');
      },
    },
    {
      name: 'acl/auth/ip-authenticated-only',
      script: async (c) => {
        // Every connection carries its ip id implicitly: does 'auth' pick it up?
        const s = await c.connect();
        await s.create('/x', 'd', { acl: [acl(31, 'auth', '')] });
        await s.getACL('/x');
        await s.whoAmI();
      },
    },
  );

  // getACL / setACL details.
  out.push(
    {
      name: 'acl/aversion-increments',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/x', 'd');
        await s.setACL('/x', [acl(31, 'world', 'anyone')], 0);
        await s.setACL('/x', [acl(31, 'world', 'anyone')], 0);
        await s.setACL('/x', [acl(15, 'world', 'anyone')], 1);
        await s.getACL('/x');
        await s.exists('/x');
      },
    },
    {
      name: 'acl/getACL-readonly-node',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/x', 'd', { acl: [acl(Perm.READ, 'world', 'anyone')] });
        await s.getACL('/x');
        await s.setACL('/x', OPEN_ACL_UNSAFE);
        await s.setData('/x', 'no');
        await s.delete('/x');
      },
    },
    {
      name: 'acl/ephemeral-with-acl',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/x', 'd', { acl: [acl(Perm.READ, 'world', 'anyone')], mode: Mode.EPHEMERAL });
        await s.getACL('/x');
        await s.close();
        const t = await c.connect();
        await t.exists('/x');
      },
    },
    {
      name: 'acl/special/zookeeper',
      script: async (c) => {
        const s = await c.connect();
        await s.getACL('!/zookeeper');
        await s.getACL('!/zookeeper/quota');
        await s.getACL('!/zookeeper/config');
      },
    },
  );

  // Without a configured super digest, "super" is an ordinary digest user.
  out.push({
    name: 'acl/super/not-configured',
    group: 'no-super',
    script: async (c) => {
      const o = await c.connect();
      await o.create('/x', 'd', { acl: [acl(Perm.READ | Perm.DELETE, 'world', 'anyone')] });
      const s = await c.connect();
      await s.addDigest(SUPER_USER, SUPER_PASSWORD);
      await s.getData('/x');
      await s.setData('/x', 'su');
      await s.whoAmI();
    },
  });

  // Super user bypasses ACLs; the digest is checked on addauth.
  out.push(
    {
      name: 'acl/super/bypass-all',
      script: async (c) => {
        const o = await c.connect();
        await o.create('/x', 'd', { acl: [acl(0, 'world', 'anyone')] });
        await o.getData('/x');
        const s = await c.connect();
        await s.addDigest(SUPER_USER, SUPER_PASSWORD);
        await s.getData('/x');
        await s.setData('/x', 'su');
        await s.create('/x/k', 'k');
        await s.getACL('/x');
        await s.whoAmI();
        await s.delete('/x/k');
        await s.delete('/x');
      },
    },
    {
      name: 'acl/super/wrong-password',
      script: async (c) => {
        const o = await c.connect();
        await o.create('/x', 'd', { acl: [acl(0, 'world', 'anyone')] });
        const s = await c.connect();
        await s.addDigest(SUPER_USER, 'guess');
        await s.getData('/x');
        await s.whoAmI();
      },
    },
  );
  return out;
}
