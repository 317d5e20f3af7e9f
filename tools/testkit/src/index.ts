/**
 * @zk/testkit: start Apache ZooKeeper 3.8 and zk-ts servers as child processes for tests and
 * tools (own process group, free loopback port, temp dataDir, one zoo.cfg for both, readiness by
 * `ruok` plus a real handshake), and the small pieces that go with it.
 * @packageDocumentation
 */

export { startServer, serverCommand, assertAvailable, ServerUnavailableError } from './servers.js';
export type { RunningServer, ServerKind, StartOptions } from './servers.js';
export { startEnsemble, parseSrvrMode, isServing, ensembleRoleEvents, syncedBy, zooKeeperSyncEvents, SERVING_MODES } from './ensemble.js';
export type { EnsembleOptions, EnsembleMember, RunningEnsemble, MemberMode, EnsembleRoleEvent } from './ensemble.js';
export { ensembleCfgLines, zooCfgLines, zooKeeperJvmProps, digestFor, DEFAULT_SETTINGS, SUPER_USER, SUPER_PASSWORD } from './config.js';
export type { ServerSettings, EnsembleMemberSpec, EnsembleLimits } from './config.js';
export { REPO_ROOT, zkTsCliPath, zooKeeperClasspath, zooKeeperAvailable, zkTsAvailable } from './env.js';
export { freePort, fourLetterWord, probeReady, sleep, tail } from './net.js';
export { spawnGroup, signalGroup, handleSignalsYourself } from './process-group.js';
export type { GroupProcess, SpawnGroupOptions, ChildExit } from './process-group.js';
export { startTcpProxy } from './tcp-proxy.js';
export type { TcpProxy } from './tcp-proxy.js';
