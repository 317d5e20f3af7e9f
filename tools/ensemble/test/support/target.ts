// Which server the ensemble tests run against:
//   ZK_ENSEMBLE_TARGET=zkts (default)  zk-ts members (apps/server/dist/cli.js)
//   ZK_ENSEMBLE_TARGET=zookeeper       Apache ZooKeeper 3.8 members (QuorumPeerMain), to check that
//                                      the scenarios themselves (and the sync modes they expect)
//                                      are what ZooKeeper does.

import { startEnsemble, zkTsAvailable, zooKeeperAvailable, type EnsembleOptions, type RunningEnsemble, type ServerKind } from '@zk/testkit';
import { parseTarget } from '../../src/args.js';
import { ENSEMBLE_SETTINGS } from './settings.js';

export const TARGET: ServerKind = parseTarget(process.env['ZK_ENSEMBLE_TARGET'] ?? 'zkts');
export const TARGET_NAME = TARGET === 'zkts' ? 'zk-ts' : 'ZooKeeper';
export const targetAvailable = TARGET === 'zkts' ? zkTsAvailable() : zooKeeperAvailable();

/** An ensemble of the target kind with the tests' settings (ZooKeeper logs at info: its sync lines). */
export function startTestEnsemble(opts: EnsembleOptions = {}): Promise<RunningEnsemble> {
  return startEnsemble(TARGET, {
    ...(TARGET === 'zookeeper' ? { logLevel: 'info' } : {}),
    ...opts,
    settings: { ...ENSEMBLE_SETTINGS, ...opts.settings },
  });
}
