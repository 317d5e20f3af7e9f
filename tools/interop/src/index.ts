/**
 * @zk/interop: real ZooKeeper clients (zkCli.sh, kazoo, node-zookeeper-client, the C cli_mt)
 * against a zk-ts server — or against Apache ZooKeeper, to validate the tests themselves.
 * @packageDocumentation
 */

export { startTarget, targetKind, ensembleTarget, type Target } from './target.js';
export { zkCli, zkCliAvailable, splitCliOutput, ZKCLI } from './zkcli.js';
export { runKazoo, kazooAvailable, PYTHON } from './kazoo.js';
export { run } from './proc.js';
