// All difftest cases, in a fixed order (the order decides each case's root /dt<N>).

import type { CaseDef } from '../case.js';
import { aclCases } from './acl.js';
import { miscCases } from './misc.js';
import { multiCases } from './multi.js';
import { nodeCases } from './nodes.js';
import { opCases } from './ops.js';
import { sessionCases } from './sessions.js';
import { setWatchesCases, watchCases } from './watches.js';

export function allCases(): CaseDef[] {
  const cases = [
    ...opCases(),
    ...nodeCases(),
    ...aclCases(),
    ...multiCases(),
    ...watchCases(),
    ...setWatchesCases(),
    ...sessionCases(),
    ...miscCases(),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    seen.add(c.name);
  }
  return cases;
}
