import type { Faults } from './faults.js';
import type { Scheduler } from './scheduler.js';

/** What connections and pipes need from their network. */
export interface NetworkContext {
  readonly scheduler: Scheduler;
  readonly latencyMs: number;
  readonly faults: Faults;
}
