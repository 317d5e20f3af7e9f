/**
 * @zk/ensemble: `npm run ensemble` (a local zk-ts or Apache ZooKeeper ensemble on 127.0.0.1) and
 * the real-process ensemble tests (`npm run test:ensemble` at the root).
 * @packageDocumentation
 */

export { parseArgs, parseTarget, USAGE, ArgsError, type EnsembleCliOptions } from './args.js';
export { describeEnsemble, roleLine } from './describe.js';
