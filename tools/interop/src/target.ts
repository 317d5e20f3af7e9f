// Which server the interop tests talk to, started with @zk/testkit's launcher, as tools/difftest
// does (own process group, free loopback ports, temp dataDir, the same zoo.cfg for both kinds).
//   ZK_INTEROP_TARGET=ours (default)  zk-ts (node apps/server/dist/cli.js start <cfg>)
//   ZK_INTEROP_TARGET=zk              Apache ZooKeeper 3.8, to validate the tests themselves
//   ZK_INTEROP_ENSEMBLE=1             a 3-server ensemble of that kind instead of one server; the
//                                     clients get the multi-host connect string of all three

import { fourLetterWord, sleep, startEnsemble, startServer, type RunningEnsemble, type ServerKind, type ServerSettings } from '@zk/testkit';

/** What a test needs of the target: where to connect, and how to stop it. */
export interface Target {
  readonly kind: ServerKind;
  /** "127.0.0.1:p" for one server, "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3" for an ensemble. */
  readonly connectString: string;
  readonly topology: 'standalone' | 'ensemble';
  /**
   * Ensemble: wait until every member has applied the same last zxid (`srvr`), so that a new
   * session, wherever it connects, sees what earlier sessions wrote. ZooKeeper promises a session
   * only its own writes (and `sync`); tests that hand work from one session to a new one (cli_mt:
   * a process per command) settle in between. Standalone: nothing to wait for.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

async function settleEnsemble(ens: RunningEnsemble, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const zxids = await Promise.all(
      ens.members.map(async (m) => /^Zxid: (0x[0-9a-f]+)/m.exec(await fourLetterWord(m.host, m.clientPort, 'srvr', 3000).catch(() => ''))?.[1] ?? '?'),
    );
    if (zxids.every((z) => z !== '?' && z === zxids[0])) return;
    if (Date.now() > deadline) throw new Error(`ensemble members did not reach the same zxid: ${zxids.join(' ')}`);
    await sleep(20);
  }
}

export function targetKind(): ServerKind {
  const t = process.env['ZK_INTEROP_TARGET'] ?? 'ours';
  if (t === 'zk' || t === 'zookeeper') return 'zookeeper';
  if (t === 'ours' || t === 'zkts') return 'zkts';
  throw new Error(`ZK_INTEROP_TARGET must be 'ours' or 'zk', not '${t}'`);
}

export function ensembleTarget(): boolean {
  return process.env['ZK_INTEROP_ENSEMBLE'] === '1';
}

/** Start the target with the interop settings (extended types on, tickTime 2000). */
export async function startTarget(settings: ServerSettings = {}): Promise<Target> {
  const kind = targetKind();
  const s: ServerSettings = { tickTime: 2000, ...settings };
  if (ensembleTarget()) {
    const ens = await startEnsemble(kind, { servers: 3, settings: s, initLimit: 10, syncLimit: 5 });
    return { kind, connectString: ens.connectString, topology: 'ensemble', settle: () => settleEnsemble(ens), stop: () => ens.stop() };
  }
  const server = await startServer(kind, { settings: s });
  return { kind, connectString: server.connectString, topology: 'standalone', settle: async () => undefined, stop: () => server.stop() };
}
