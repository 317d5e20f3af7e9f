/**
 * @packageDocumentation
 * Crash and restart testing of zk-ts with real `zkserver` processes, and the snapshot-stall and
 * restart benchmarks. The entry points are scripts (`npm run crashtest`, `npm run bench:snapshot`,
 * `npm run bench:restart`); these exports let other tools reuse the pieces.
 */
export { runCrashtest, schedule, type CaseResult, type CrashtestOptions, type RoundKind, type Summary } from './crashtest.js';
export { Oracle, dataFor, parseData, type NodeLine, type Observed, type Violation, type WriteAttempt } from './oracle.js';
export { ZkConnection, type Handshake, type Outcome, type Reply, type SessionParams } from './zk-client.js';
export { ServerProcess, defaultServerCli, freePort } from './server-process.js';
export { cutLastSegment, flipMidLog, framesOf, logSegments, type Cut, type Flip, type Frame } from './log-tamper.js';
export { rng, type Rng } from './rng.js';
