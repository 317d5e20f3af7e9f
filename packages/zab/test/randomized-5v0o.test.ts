/**
 * Seeded randomized runs of 5 voters + 0 observers: see harness/sim.ts for
 * the fault model and harness/checker.ts for what is checked after every event.
 */
import { describe } from 'vitest';
import { randomizedSuite } from './harness/run-seeds.js';

describe('randomized ensembles', () => randomizedSuite(5, 0));
