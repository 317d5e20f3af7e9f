// The client through an ensemble's failures: three zk-ts servers in this process on real TCP ports
// (memory storage, real time), a multi-host connect string, and the client's server taken away.

import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from '@zk/storage';
import { createServer, parseZooCfg, type ZkServer } from '@zk/server';
import { freePort } from '@zk/testkit';
import { ConnectionLossError, connect, type ZooKeeperClient } from '../src/index.js';
import { EventLog, stateIs, until } from './support/helpers.js';

interface Member {
  readonly sid: number;
  readonly clientPort: number;
  server: ZkServer;
}

async function startEnsemble(n = 3): Promise<Member[]> {
  const ports = [];
  for (let i = 0; i < n; i++) ports.push({ client: await freePort(), quorum: await freePort(), election: await freePort() });
  const lines = ports.map((p, i) => `server.${i + 1}=127.0.0.1:${p.quorum}:${p.election};127.0.0.1:${p.client}`);
  const members: Member[] = [];
  for (let i = 0; i < n; i++) {
    const text = ['tickTime=100', 'initLimit=20', 'syncLimit=10', 'dataDir=/unused', 'maxSessionTimeout=60000', ...lines].join('\n');
    const { config } = parseZooCfg(text, { myid: String(i + 1) });
    const server = await createServer(config, { storage: await memoryStorage() });
    await server.start();
    members.push({ sid: i + 1, clientPort: ports[i]!.client, server });
  }
  return members;
}

const serving = (ms: Member[]) => ms.filter((m) => m.server.mode !== 'looking');

/** The bystander client retries what a failover interrupts, as an application would. */
async function retried<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof ConnectionLossError) || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('client against a 5-server zk-ts ensemble', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
  });

  it('keeps its session, ephemerals and watches when its server goes away, whatever its role', async () => {
    const members = await startEnsemble(5);
    cleanup.push(async () => {
      for (const m of members) await m.server.stop();
    });
    await until(() => serving(members).length === 5, 'a serving ensemble', 20_000);
    const hosts = members.map((m) => `127.0.0.1:${m.clientPort}`).join(',');
    const log = new EventLog();
    const zk: ZooKeeperClient = await connect(hosts, { sessionTimeoutMs: 10_000, watcher: log.watcher });
    cleanup.push(() => zk.close());
    const other = await connect(hosts, { sessionTimeoutMs: 10_000 });
    cleanup.push(() => other.close());

    await zk.create('/app', 'v0');
    await zk.create('/app/member-', 'me', { mode: 'EPHEMERAL_SEQUENTIAL' });
    const watches = new EventLog();
    await zk.getData('/app', { watch: watches.watcher });
    const session = zk.sessionId;

    // Take away the client's server (whatever its role), then the leader: two of five, a quorum stays.
    for (const round of [1, 2]) {
      const mine = members.find((m) => zk.server?.port === m.clientPort)!;
      const victim = round === 1 ? mine : members.find((m) => m.server.mode === 'leader')!;
      await victim.server.stop();
      members.splice(members.indexOf(victim), 1);
      if (victim === mine) await log.next(stateIs('Disconnected'), 'Disconnected', 20_000);
      await until(() => zk.state === 'CONNECTED' && serving(members).length === members.length, 'reconnected', 30_000);
      expect(zk.sessionId).toBe(session);
      const children = (await retried(() => other.getChildren('/app'))).children;
      expect(children).toHaveLength(1);
      await retried(() => other.setData('/app', `v${round}`));
      const e = await watches.next((ev) => ev.type !== 'None', 'the data watch', 20_000);
      expect(e).toMatchObject({ type: 'NodeDataChanged', path: '/app' });
      expect((await zk.getData('/app', { watch: watches.watcher })).data?.toString()).toBe(`v${round}`);
    }
    expect(members).toHaveLength(3);
  }, 90_000);
});
