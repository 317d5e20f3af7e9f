/**
 * @zk/difftest: the differential test of zk-ts against Apache ZooKeeper 3.8. The servers are
 * started with @zk/testkit.
 * @packageDocumentation
 */

export { RawSession } from './raw-session.js';
export type { ConnectOptions, Frame, Outcome } from './raw-session.js';
export { CaseCtx, Conn } from './case.js';
export type { CaseDef } from './case.js';
export { R, Mode, Perm, OPEN_ACL_UNSAFE, acl } from './requests.js';
export { normalise } from './normalise.js';
export type { NormContext, ZxidMode } from './normalise.js';
export { ServerDriver, PairRunner, sideBySide, firstDifference, alignLines } from './runner.js';
export { allCases } from './cases/index.js';
