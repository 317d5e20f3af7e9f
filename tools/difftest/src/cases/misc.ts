// Everything else: authentication packets, whoAmI, sync, getAllChildrenNumber, the /zookeeper
// subtree and quotas, opcodes a client should not send or that a standalone server does not
// implement (reconfig, SASL, internal ones), malformed frames and jute.maxbuffer limits,
// four-letter words.

import type { CaseDef } from '../case.js';
import { Mode, R } from '../requests.js';
import { SUPER_PASSWORD, SUPER_USER } from '@zk/testkit';
import { lengthPrefixed, Writer } from '../wire.js';

const frame = lengthPrefixed;

function request(xid: number, op: number, body: (w: Writer) => void = () => undefined): Buffer {
  const w = new Writer();
  w.int(xid).int(op);
  body(w);
  return frame(w.bytes());
}

export function miscCases(): CaseDef[] {
  const out: CaseDef[] = [];

  // Authentication packets.
  const auths: Array<[string, string, string | Uint8Array | null, number?]> = [
    ['digest-ok', 'digest', 'alice:pw'],
    ['digest-no-colon', 'digest', 'alicepw'],
    ['digest-empty', 'digest', ''],
    ['digest-null', 'digest', null],
    ['digest-colon-only', 'digest', ':'],
    ['digest-two-colons', 'digest', 'a:b:c'],
    ['digest-super', 'digest', `${SUPER_USER}:${SUPER_PASSWORD}`],
    ['digest-super-wrong', 'digest', `${SUPER_USER}:nope`],
    ['unknown-scheme', 'nosuch', 'x'],
    ['world', 'world', 'anyone'],
    ['ip', 'ip', '127.0.0.1'],
    ['sasl-scheme', 'sasl', 'x'],
    ['x509', 'x509', 'x'],
    ['super-scheme', 'super', 'x'],
    ['empty-scheme', '', 'x'],
    ['type-1', 'digest', 'alice:pw', 1],
    ['utf8-user', 'digest', '\u00e9l\u00e8ve:pw'],
  ];
  for (const [name, scheme, data, type] of auths) {
    out.push({
      name: `auth/${name}`,
      script: async (c) => {
        const s = await c.connect();
        await s.create('/a', '');
        await s.req(R.auth(scheme, data, type ?? 0));
        if (!s.closed) {
          await s.whoAmI();
          await s.create('/b', '', { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] });
          await s.getACL('/b');
        } else {
          const t = await c.connect({ label: 'other' });
          await t.exists('/a');
        }
      },
    });
  }
  out.push(
    {
      name: 'auth/with-non-auth-xid',
      script: async (c) => {
        const s = await c.connect();
        await s.req(R.auth('digest', 'alice:pw'), { xid: 12 });
        await s.whoAmI();
      },
    },
    {
      name: 'auth/authfailed-session-survives',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/e', '', { mode: Mode.EPHEMERAL });
        await s.auth('nosuch', 'x');
        const s2 = await s.reattach();
        if (!s2.closed) {
          await s2.exists('/e');
          await s2.whoAmI();
        }
      },
    },
    {
      name: 'auth/pipelined-before-requests',
      script: async (c) => {
        const s = await c.connect();
        // The auth packet first: ZooKeeper answers auth at once, ahead of earlier pipelined requests.
        await s.batch([R.auth('digest', 'alice:pw'), R.create('/y', '', { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] }), R.getACL('/y'), R.whoAmI()]);
      },
    },
    { name: 'whoami/plain', script: async (c) => { const s = await c.connect(); await s.whoAmI(); } },
    {
      name: 'whoami/after-two-digests',
      script: async (c) => {
        const s = await c.connect();
        await s.addDigest('alice', 'pw');
        await s.addDigest('bob', 'pw');
        await s.whoAmI();
      },
    },
  );

  // sync, getAllChildrenNumber, getEphemerals on special paths.
  out.push(
    {
      name: 'sync/paths',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/a', '');
        for (const p of ['/', '/a', '/missing', '!/', '!/zookeeper', '', 'rel', '/a/']) await s.sync(p);
      },
    },
    {
      name: 'getAllChildrenNumber/tree',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/a', '');
        await s.create('/a/b', '');
        await s.create('/a/b/c', '');
        await s.create('/a/d', '', { mode: Mode.EPHEMERAL });
        await s.create('/x', '');
        for (const p of ['/', '/a', '/a/b', '/a/b/c', '/x', '!/zookeeper', '/a/']) await s.getAllChildrenNumber(p);
      },
    },
  );

  // The /zookeeper subtree.
  out.push(
    {
      name: 'special/zookeeper-reads',
      script: async (c) => {
        const s = await c.connect();
        for (const p of ['!/zookeeper', '!/zookeeper/quota', '!/zookeeper/config']) {
          await s.getData(p);
          await s.getChildren2(p);
          await s.getACL(p);
          await s.getAllChildrenNumber(p);
        }
      },
    },
    {
      name: 'special/zookeeper-writes',
      script: async (c) => {
        const s = await c.connect();
        await s.setData('!/zookeeper', 'x', 99);
        await s.setData('!/zookeeper/config', 'x', 99);
        await s.setData('!/zookeeper/config', 'x');
        await s.create('!/zookeeper/config/x', '');
        await s.delete('!/zookeeper/config');
        await s.delete('!/zookeeper', 99);
        await s.create('!/zookeeper/x', '', { mode: Mode.EPHEMERAL });
        await s.setACL('!/zookeeper/config', [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], 99);
        await s.exists('!/zookeeper');
        await s.exists('!/zookeeper/config');
      },
    },
    {
      name: 'special/zookeeper-writes-as-super',
      script: async (c) => {
        const s = await c.connect();
        await s.addDigest(SUPER_USER, SUPER_PASSWORD);
        await s.setData('!/zookeeper/config', 'x', 99);
        await s.create('!/zookeeper/config/x', '');
        await s.exists('!/zookeeper/config');
      },
    },
    {
      name: 'special/watch-zookeeper-config',
      script: async (c) => {
        const s = await c.connect();
        await s.getData('!/zookeeper/config', true);
        await s.exists('!/zookeeper/config/x', true);
        await s.addWatch('!/zookeeper', 1);
        await s.create('/x', '');
      },
    },
  );

  // Quotas, written the way zkCli's setquota does (limits node under /zookeeper/quota/<path>).
  const quota = (limits: string, stats?: string): CaseDef['script'] => async (c) => {
    const s = await c.connect();
    await s.create('/q', '');
    await s.create('/q/a', 'aaaa');
    const base = `!/zookeeper/quota${c.root}`;
    await s.create(base, '');
    await s.create(`${base}/q`, '');
    await s.create(`${base}/q/zookeeper_limits`, limits);
    if (stats !== undefined) await s.create(`${base}/q/zookeeper_stats`, stats);
    await s.getData(`${base}/q/zookeeper_stats`);
    for (let i = 0; i < 4; i++) await s.create(`/q/n${i}`, '0123456789');
    await s.setData('/q/a', 'b'.repeat(100));
    await s.getData(`${base}/q/zookeeper_stats`);
    await s.getData(`${base}/q/zookeeper_limits`);
    await s.getChildren2(`${base}/q`);
    await s.delete('/q/n0');
    await s.getData(`${base}/q/zookeeper_stats`);
  };
  out.push(
    { name: 'quota/count-limit', script: quota('count=2,bytes=-1', 'count=0,bytes=0') },
    { name: 'quota/bytes-limit', script: quota('count=-1,bytes=10', 'count=0,bytes=0') },
    { name: 'quota/hard-limits', script: quota('count=-1,bytes=-1,countHardLimit=3,bytesHardLimit=-1', 'count=0,bytes=0') },
    { name: 'quota/no-stats-node', script: quota('count=5,bytes=-1') },
    { name: 'quota/garbage-limits', script: quota('hello', 'count=0,bytes=0') },
  );

  // Opcodes a standalone server does not implement, internal ones, unknown ones.
  const odd: Array<[string, () => Parameters<typeof R.raw>]> = [
    ['reconfig', () => { const w = new Writer(); w.string(null).string(null).string('server.1=127.0.0.1:2888:3888;2181').long(-1n); return [16, w.bytes(), 'reconfig newMembers']; }],
    ['reconfig-empty', () => { const w = new Writer(); w.string(null).string(null).string(null).long(-1n); return [16, w.bytes(), 'reconfig all-null']; }],
    ['sasl', () => { const w = new Writer(); w.buffer(Buffer.from('token')); return [102, w.bytes(), 'sasl token']; }],
    ['deleteContainer', () => { const w = new Writer(); w.string('/x'); return [20, w.bytes(), 'deleteContainer /x (root-relative path written raw)']; }],
    ['error-op', () => [-1, Buffer.alloc(0), 'op -1']],
    ['notification-op', () => [0, Buffer.alloc(0), 'op 0']],
    ['op-10', () => [10, Buffer.alloc(0), 'op 10 (unused)']],
    ['op-23', () => [23, Buffer.alloc(0), 'op 23 (unused)']],
    ['op-99', () => [99, Buffer.alloc(0), 'op 99']],
    ['op-108', () => [108, Buffer.alloc(0), 'op 108']],
    ['op-1000', () => [1000, Buffer.alloc(0), 'op 1000']],
    ['getData-empty-body', () => [4, Buffer.alloc(0), 'getData with empty body']],
    ['create-truncated', () => { const w = new Writer(); w.string('/x').int(4); return [1, w.bytes(), 'create truncated after data length']; }],
    // (Raw bodies bypass the case root: they name /zookeeper, whose stat does not depend on history.)
    ['getData-trailing', () => { const w = new Writer(); w.string('/zookeeper').bool(false).int(12345); return [4, w.bytes(), 'getData /zookeeper + 4 trailing bytes']; }],
    ['whoAmI-with-body', () => [107, Buffer.from([1, 2, 3, 4]), 'whoAmI with a body']],
    ['closeSession-with-body', () => [-11, Buffer.from([1, 2, 3, 4]), 'closeSession with a body']],
    ['string-negative-length', () => { const w = new Writer(); w.int(-5).bool(false); return [4, w.bytes(), 'getData path length -5']; }],
    ['string-huge-length', () => { const w = new Writer(); w.int(0x7ffffff0).bool(false); return [4, w.bytes(), 'getData path length 2^31-16']; }],
    ['vector-negative-count', () => { const w = new Writer(); w.string('/x').buffer(null).int(-3).int(0); return [1, w.bytes(), 'create acl count -3']; }],
    ['vector-huge-count', () => { const w = new Writer(); w.string('/x').buffer(null).int(0x7fffffff).int(0); return [1, w.bytes(), 'create acl count 2^31-1']; }],
    ['bool-2', () => { const w = new Writer(); w.string('/zookeeper').byte(2); return [4, w.bytes(), 'getData /zookeeper watch byte 2']; }],
  ];
  for (const [name, mk] of odd) {
    out.push({
      name: `opcode/${name}`,
      script: async (c) => {
        const s = await c.connect();
        const o = await s.req(R.raw(...mk()));
        const closed = o.kind === 'reply' && o.err !== 0 ? await s.closedWithin(200) : s.closed;
        if (!closed) await s.exists('/');
        else {
          const t = await c.connect({ label: 'after' });
          await t.exists('/');
        }
      },
    });
  }

  // Malformed frames after the handshake.
  const frames: Array<[string, Buffer]> = [
    ['zero-length', frame(Buffer.alloc(0))],
    ['header-only-4-bytes', frame(Buffer.from([0, 0, 0, 1]))],
    ['negative-length', Buffer.from([0xff, 0xff, 0xff, 0xfe])],
    ['length-over-maxbuffer', Buffer.from([0x00, 0x10, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 4])],
    ['ruok-after-handshake', Buffer.from('ruok')],
    ['ping-then-garbage', Buffer.concat([request(-2, 11), Buffer.from([0, 0, 0, 3, 1, 2, 3])])],
  ];
  for (const [name, bytes] of frames) {
    out.push({
      name: `frame/${name}`,
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/e', '', { mode: Mode.EPHEMERAL });
        await s.rawBytes(bytes, name);
        if (!s.closed) await s.exists('/e');
        const t = await c.connect({ label: 'other' });
        await t.exists('/e');
      },
    });
  }

  // jute.maxbuffer = 4096 (group small-jute-maxbuffer): frames just under / at / over the limit.
  for (const size of [3900, 4000, 4050, 4060, 4070, 4080, 4096, 4097, 5000]) {
    out.push({
      name: `jute/maxbuffer-4096/create-data-${size}`,
      group: 'small-jute-maxbuffer',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/d', Buffer.alloc(size, 0x62));
        const t = s.closed ? await c.connect({ label: 'other' }) : s;
        await t.exists('/d');
      },
    });
  }
  out.push(
    {
      name: 'jute/maxbuffer-4096/big-reply',
      group: 'small-jute-maxbuffer',
      script: async (c) => {
        const s = await c.connect();
        await s.create('/d', Buffer.alloc(3000, 0x62));
        await s.setData('/d', Buffer.alloc(3000, 0x63));
        for (let i = 0; i < 40; i++) await s.create(`/d/child-with-a-long-name-${i}-${'x'.repeat(80)}`, '');
        await s.getChildren2('/d');
        await s.multiRead([R.getData('/d'), R.getData('/d')]);
      },
    },
    {
      name: 'jute/maxbuffer-4096/setData-over',
      group: 'small-jute-maxbuffer',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/d', '');
        await s.setData('/d', Buffer.alloc(4100, 0x61));
        const t = s.closed ? await c.connect({ label: 'other' }) : s;
        await t.exists('/d');
      },
    },
  );

  // Four-letter words with fixed answers.
  for (const w of ['ruok', 'isro']) {
    out.push({ name: `4lw/${w}`, script: async (c) => { await c.fourLetter(w); } });
  }
  out.push({ name: '4lw/unknown-word', script: async (c) => { await c.fourLetter('abcd'); } });
  for (const w of ['srvr', 'stat', 'conf', 'envi', 'mntr', 'cons', 'wchs', 'dump', 'dirs', 'wchc', 'wchp', 'crst', 'srst', 'gtmk', 'hash']) {
    // Contents differ between servers (ids, times, paths, versions); compare only whether there is an answer.
    out.push({ name: `4lw/${w}-answers`, script: async (c) => { await c.fourLetter(w, (a) => (a.length > 0 ? '<some answer>' : '<empty>')); } });
  }
  return out;
}
