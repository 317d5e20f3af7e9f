// Which server the interop tests talk to, started with @zk/testkit's launcher, as tools/difftest
// does (own process group, free loopback port, temp dataDir, the same zoo.cfg for both kinds).
//   ZK_INTEROP_TARGET=ours (default)  zk-ts (node apps/server/dist/cli.js start <cfg>)
//   ZK_INTEROP_TARGET=zk              Apache ZooKeeper 3.8, to validate the tests themselves

import { startServer, type RunningServer, type ServerKind, type ServerSettings } from '@zk/testkit';

export type { RunningServer };

export function targetKind(): ServerKind {
  const t = process.env['ZK_INTEROP_TARGET'] ?? 'ours';
  if (t === 'zk' || t === 'zookeeper') return 'zookeeper';
  if (t === 'ours' || t === 'zkts') return 'zkts';
  throw new Error(`ZK_INTEROP_TARGET must be 'ours' or 'zk', not '${t}'`);
}

/** Start the target server with the interop settings (extended types on, default tickTime). */
export function startTarget(settings: ServerSettings = {}): Promise<RunningServer> {
  return startServer(targetKind(), { settings: { tickTime: 2000, ...settings } });
}
