// Sessions: handshake variants, timeout negotiation, re-attach (right / wrong password, unknown id,
// while the old connection is open), close and expiry with their ephemerals and events, xids.

import type { CaseDef, CaseCtx } from '../case.js';
import { Mode, R } from '../requests.js';
import { lengthPrefixed, Writer } from '../wire.js';

const frame = lengthPrefixed;

function connectBody(o: { proto?: number; zxid?: bigint; timeOut?: number; session?: bigint; passwd?: Buffer | null; ro?: boolean | null }): Buffer {
  const w = new Writer();
  w.int(o.proto ?? 0).long(o.zxid ?? 0n).int(o.timeOut ?? 10_000).long(o.session ?? 0n).buffer(o.passwd === undefined ? Buffer.alloc(16) : o.passwd);
  if (o.ro !== null) w.bool(o.ro ?? false);
  return w.bytes();
}

async function afterConnect(c: CaseCtx, label = 'c1'): Promise<void> {
  const conn = c.conns.find((x) => x.label === label);
  if (conn && !conn.closed) {
    await conn.exists('/');
    await conn.whoAmI();
  }
}

export function sessionCases(): CaseDef[] {
  const out: CaseDef[] = [];

  for (const t of [0, 1, 999, 1000, 1001, 4321, 10_000, 10_001, 2 ** 31 - 1, -1, -1000]) {
    out.push({
      name: `session/timeout/${t}`,
      script: async (c) => {
        await c.connect({ timeOut: t, keepalive: false });
        await afterConnect(c);
      },
    });
  }
  out.push(
    { name: 'session/handshake/readOnly-true', script: async (c) => { await c.connect({ readOnly: true }); await afterConnect(c); } },
    { name: 'session/handshake/no-readOnly-byte', script: async (c) => { await c.connect({ omitReadOnlyByte: true }); await afterConnect(c); } },
    { name: 'session/handshake/protocolVersion-1', script: async (c) => { await c.connect({ protocolVersion: 1 }); await afterConnect(c); } },
    { name: 'session/handshake/protocolVersion-neg', script: async (c) => { await c.connect({ protocolVersion: -1 }); await afterConnect(c); } },
    { name: 'session/handshake/lastZxidSeen-future', script: async (c) => { await c.connect({ lastZxidSeen: 0x7fffffff00000000n }); await afterConnect(c); } },
    { name: 'session/handshake/passwd-short', script: async (c) => { await c.connect({ passwd: Buffer.alloc(3, 7) }); await afterConnect(c); } },
    { name: 'session/handshake/passwd-long', script: async (c) => { await c.connect({ passwd: Buffer.alloc(64, 7) }); await afterConnect(c); } },
    { name: 'session/handshake/unknown-session', script: async (c) => { await c.connect({ sessionId: 0x1234567812345678n, passwd: Buffer.alloc(16) }); await afterConnect(c); } },
    {
      name: 'session/handshake/raw-null-passwd',
      script: async (c) => {
        await c.connect({ rawHandshake: frame(connectBody({ passwd: null })) });
        await afterConnect(c);
      },
    },
    {
      name: 'session/handshake/raw-trailing-bytes',
      script: async (c) => {
        await c.connect({ rawHandshake: frame(Buffer.concat([connectBody({}), Buffer.from([1, 2, 3, 4, 5])])) });
        await afterConnect(c);
      },
    },
    {
      name: 'session/handshake/raw-truncated',
      script: async (c) => {
        await c.connect({ rawHandshake: frame(connectBody({}).subarray(0, 20)), handshakeTimeoutMs: 1500 });
      },
    },
    {
      name: 'session/handshake/raw-zero-length',
      script: async (c) => {
        await c.connect({ rawHandshake: frame(Buffer.alloc(0)), handshakeTimeoutMs: 1500 });
      },
    },
    {
      name: 'session/handshake/raw-negative-length',
      script: async (c) => {
        await c.connect({ rawHandshake: Buffer.from([0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0]), handshakeTimeoutMs: 1500 });
      },
    },
    {
      name: 'session/handshake/raw-huge-length',
      script: async (c) => {
        await c.connect({ rawHandshake: Buffer.from([0x7f, 0, 0, 0, 0, 0, 0, 0]), handshakeTimeoutMs: 1500 });
      },
    },
    {
      name: 'session/handshake/request-instead-of-connect',
      script: async (c) => {
        const w = new Writer();
        w.int(1).int(4).string('/').bool(false);
        await c.connect({ rawHandshake: frame(w.bytes()), handshakeTimeoutMs: 1500 });
      },
    },
    {
      name: 'session/handshake/connect-sent-twice',
      script: async (c) => {
        const s = await c.connect();
        await s.rawBytes(frame(connectBody({})), 'second ConnectRequest');
        if (!s.closed) await s.exists('/');
      },
    },
  );

  // Re-attaching.
  out.push(
    {
      name: 'session/reattach/after-drop',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/e', 'x', { mode: Mode.EPHEMERAL });
        await s.getData('/e', true);
        await s.drop();
        const s2 = await s.reattach();
        await s2.getData('/e');
        await s2.getEphemerals('/');
        await s2.setData('/e', 'y');
      },
    },
    {
      name: 'session/reattach/wrong-password',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/e', 'x', { mode: Mode.EPHEMERAL });
        await s.drop();
        const bad = Buffer.from(s.passwd);
        bad[0] = (bad[0]! + 1) & 0xff;
        const s2 = await s.reattach({ passwd: bad, label: 'bad' });
        if (!s2.closed) await s2.exists('/e');
        const s3 = await s.reattach({ label: 'good' });
        await s3.exists('/e');
      },
    },
    {
      name: 'session/reattach/while-old-connection-open',
      script: async (c) => {
        const s = await c.connect({ label: 'old' });
        await s.create('/e', 'x', { mode: Mode.EPHEMERAL });
        await s.getData('/e', true);
        const s2 = await s.reattach({ label: 'new' });
        await s2.exists('/e');
        if (!s.closed) await s.exists('/e');
        await s2.setData('/e', 'changed');
      },
    },
    {
      name: 'session/reattach/after-close',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/e', 'x', { mode: Mode.EPHEMERAL });
        await s.close();
        const s2 = await s.reattach();
        if (!s2.closed) await s2.exists('/e');
      },
    },
    {
      name: 'session/reattach/other-timeout',
      script: async (c) => {
        const s = await c.connect({ label: 's', timeOut: 4000 });
        await s.drop();
        await s.reattach({ timeOut: 9000 });
      },
    },
    {
      name: 'session/reattach/lastZxidSeen-ahead',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.drop();
        await s.reattach({ lastZxidSeen: s.lastZxid + 1000n });
      },
    },
    {
      name: 'session/reattach/readOnly-flag-changes',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.drop();
        const s2 = await s.reattach({ readOnly: true });
        if (!s2.closed) await s2.create('/x', '');
      },
    },
  );

  // Closing.
  out.push(
    {
      name: 'session/close/ephemerals-and-events',
      script: async (c) => {
        const s = await c.connect({ label: 'owner' });
        const w = await c.connect({ label: 'watcher' });
        await s.create('/p', '');
        await s.create('/p/e1', '1', { mode: Mode.EPHEMERAL });
        await s.create('/p/e2-', '2', { mode: Mode.EPHEMERAL_SEQUENTIAL });
        await s.create('/e3', '3', { mode: Mode.EPHEMERAL });
        await w.getChildren('/p', true);
        await w.exists('/p/e1', true);
        await w.getData('/e3', true);
        await w.addWatch('/', 1);
        await s.close();
        await w.getChildren2('/p');
        await w.getChildren2('/');
      },
    },
    {
      name: 'session/close/pipelined-requests-after-close',
      script: async (c) => {
        const s = await c.connect();
        // Nothing after the close: whether ZooKeeper still answers a request pipelined behind a
        // closeSession (SESSIONEXPIRED) or closes first is a race inside it.
        await s.batch([R.create('/a', ''), R.closeSession()]);
        const t = await c.connect();
        await t.exists('/b');
      },
    },
    {
      name: 'session/close/with-custom-xid',
      script: async (c) => {
        const s = await c.connect();
        await s.req(R.closeSession(), { xid: 4242 });
      },
    },
    {
      name: 'session/close/socket-end-keeps-session',
      script: async (c) => {
        const s = await c.connect({ label: 's' });
        await s.create('/e', '', { mode: Mode.EPHEMERAL });
        await s.drop();
        const t = await c.connect({ label: 't' });
        await t.exists('/e');
      },
    },
  );

  // Expiry (small timeouts; the harness waits for the server to act).
  const expiring = async (c: CaseCtx): Promise<void> => {
    const s = await c.connect({ label: 'victim', timeOut: 1000, keepalive: false });
    const w = await c.connect({ label: 'watcher' });
    await s.create('/p', '');
    await s.create('/p/e', 'x', { mode: Mode.EPHEMERAL });
    await s.create('/p/q-', 'y', { mode: Mode.EPHEMERAL_SEQUENTIAL });
    await w.exists('/p/e', true);
    await w.getChildren('/p', true);
    await s.drop();
    await c.waitFor('ephemerals expire', async () => {
      const o = await w.quiet(R.getChildren('/p'));
      return o.kind === 'reply' && o.err === 0 && ((o.body as { children: string[] }).children.length === 0);
    });
    await w.getChildren2('/p');
  };
  out.push(
    { name: 'session/expire/dropped-connection', timeoutMs: 30_000, script: expiring },
    {
      name: 'session/expire/reattach-after-expiry',
      timeoutMs: 30_000,
      script: async (c) => {
        await expiring(c);
        const v = c.conns.find((x) => x.label === 'victim')!;
        const again = await v.reattach({ label: 'late' });
        if (!again.closed) await again.exists('/');
      },
    },
    {
      name: 'session/expire/connected-but-silent',
      timeoutMs: 30_000,
      script: async (c) => {
        const s = await c.connect({ label: 'silent', timeOut: 1000, keepalive: false });
        const w = await c.connect({ label: 'watcher' });
        await s.create('/e', '', { mode: Mode.EPHEMERAL });
        await w.exists('/e', true);
        await c.waitFor('ephemeral expires', async () => {
          const o = await w.quiet(R.exists('/e'));
          return o.kind === 'reply' && o.err !== 0;
        });
        await c.waitFor('silent connection closed', async () => s.closed, 5000);
        if (!s.closed) await s.exists('/');
      },
    },
  );

  // Server limits from zoo.cfg.
  out.push({
    name: 'session/limits/max-client-cnxns',
    group: 'max-client-cnxns-3',
    script: async (c) => {
      // The runner's control session holds one of the three connections.
      await c.connect({ label: 'first' });
      await c.connect({ label: 'second' });
      const third = await c.connect({ label: 'third', handshakeTimeoutMs: 3000 });
      if (!third.closed) await third.exists('/');
    },
  });
  for (const t of [1, 2999, 3000, 4500, 6000, 6001, 60_000]) {
    out.push({
      name: `session/limits/timeout-bounds/${t}`,
      group: 'session-bounds',
      script: async (c) => {
        await c.connect({ timeOut: t });
        await afterConnect(c);
      },
    });
  }

  // xids.
  const xids: Array<[string, number]> = [['0', 0], ['max', 2 ** 31 - 1], ['min', -(2 ** 31)], ['minus-2', -2], ['minus-4', -4], ['minus-8', -8], ['minus-3', -3]];
  for (const [name, xid] of xids) {
    out.push({
      name: `session/xid/${name}`,
      script: async (c) => {
        const s = await c.connect();
        await s.req(R.create('/x', 'd'), { xid });
        await s.req(R.getData('/x'), { xid });
        await s.exists('/x');
      },
    });
  }
  out.push(
    {
      name: 'session/xid/duplicate-pipelined',
      script: async (c) => {
        const s = await c.connect();
        await s.batch([{ req: R.create('/x', 'd'), xid: 7 }, { req: R.getData('/x'), xid: 7 }, { req: R.exists('/x'), xid: 7 }]);
      },
    },
    {
      name: 'session/xid/decreasing',
      script: async (c) => {
        const s = await c.connect();
        await s.batch([{ req: R.create('/x', 'd'), xid: 30 }, { req: R.getData('/x'), xid: 20 }, { req: R.exists('/x'), xid: 10 }]);
      },
    },
    {
      name: 'session/ping/explicit',
      script: async (c) => {
        const s = await c.connect();
        await s.ping();
        await s.req(R.ping(), { xid: 55 });
        await s.create('/x', '');
        await s.ping();
      },
    },
    {
      name: 'session/pipelined-mixed',
      script: async (c) => {
        const s = await c.connect();
        await s.batch([
          R.create('/a', '1'), R.create('/a/b', '2'), R.getData('/a'), R.setData('/a', '3'),
          R.getChildren2('/a'), R.delete('/a/b'), R.whoAmI(), R.delete('/a'), R.exists('/a'), R.sync('/'),
        ]);
      },
    },
  );
  return out;
}
