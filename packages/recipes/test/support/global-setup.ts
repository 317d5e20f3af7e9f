// Starts the two servers every suite runs against, once per test run: zk-ts (the built zkserver)
// and Apache ZooKeeper 3.8, each a child process on a free port. Without the ZooKeeper jar its
// suites are skipped, except in CI (CI=true), where that would hide a broken install.

import type { TestProject } from 'vitest/node';
import { startServer, zooKeeperAvailable, type RunningServer } from '@zk/testkit';
import type { ServerInfo } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: ServerInfo[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const only = process.env['ZK_RECIPES_TARGET']; // 'zkts' or 'zookeeper': run against one only
  const wanted: Array<{ kind: 'zkts' | 'zookeeper'; name: ServerInfo['name'] }> = [];
  if (only !== 'zookeeper') wanted.push({ kind: 'zkts', name: 'zk-ts' });
  if (only !== 'zkts') {
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
  project.provide(
    'servers',
    servers.map((s, i) => ({ name: wanted[i]!.name, host: s.host, port: s.port })),
  );
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
