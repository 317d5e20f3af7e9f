// Starts the servers every suite runs against, once per test run: zk-ts standalone (the built
// zkserver), a 3-server zk-ts ensemble (clients talk to a follower, so every write is forwarded to
// the leader) and Apache ZooKeeper 3.8, each member a child process on free ports. Without the
// ZooKeeper jar its suites are skipped, except in CI (CI=true), where that would hide a broken install.

import type { TestProject } from 'vitest/node';
import { startEnsemble, startServer, zooKeeperAvailable, type RunningEnsemble, type RunningServer } from '@zk/testkit';
import type { ServerInfo } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: ServerInfo[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const only = process.env['ZK_RECIPES_TARGET']; // 'zkts', 'ensemble' or 'zookeeper': run against one only
  const wanted: Array<{ kind: 'zkts' | 'zookeeper'; name: ServerInfo['name'] }> = [];
  if (only === undefined || only === 'zkts') wanted.push({ kind: 'zkts', name: 'zk-ts' });
  if (only === undefined || only === 'zookeeper') {
    if (zooKeeperAvailable() || process.env['CI'] === 'true') wanted.push({ kind: 'zookeeper', name: 'zookeeper-3.8' });
    else console.warn('@zk/recipes tests: Apache ZooKeeper 3.8 is not installed; its suites are skipped');
  }
  const started = await Promise.allSettled(wanted.map((w) => startServer(w.kind)));
  const servers: RunningServer[] = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(servers.map((s) => s.stop()));
    throw failed.reason;
  }
  const infos: ServerInfo[] = servers.map((s, i) => ({ name: wanted[i]!.name, host: s.host, port: s.port }));
  let ensemble: RunningEnsemble | undefined;
  if (only === undefined || only === 'ensemble') {
    try {
      ensemble = await startEnsemble('zkts', { servers: 3 });
      const leader = await ensemble.waitForLeader();
      const follower = ensemble.members.find((m) => m.id !== leader.id)!;
      infos.push({ name: 'zk-ts-ensemble', host: follower.host, port: follower.clientPort });
    } catch (err) {
      await Promise.all(servers.map((s) => s.stop()));
      throw err;
    }
  }
  project.provide('servers', infos);
  return async () => {
    await Promise.all([...servers.map((s) => s.stop()), ensemble?.stop()]);
  };
}
