/**
 * @packageDocumentation
 * The storage compliance suite: every Storage backend runs it from one small test file.
 *
 * ```ts
 * import storageCompliance from '@zk/storage/compliance';
 * storageCompliance({ name: 'memory', open: () => memoryStorage(), reopen: (s) => (s as MemoryStorage).reopen() });
 * ```
 */
import { afterEach, describe } from 'vitest';
import { createHarness } from './harness.js';
import { logTests } from './log-tests.js';
import { recoveryTests } from './recovery-tests.js';
import type { StorageComplianceSetup } from './setup.js';
import { snapshotTests } from './snapshot-tests.js';

export type { StorageComplianceSetup } from './setup.js';

/** Registers the compliance tests for one backend (call it at the top level of a vitest file). */
export default function storageCompliance(setup: StorageComplianceSetup): void {
  describe(`storage compliance: ${setup.name}`, () => {
    const harness = createHarness(setup);
    afterEach(async () => {
      await harness.closeAll();
      await setup.cleanup?.();
    });
    describe('txn log', () => logTests(harness));
    describe('snapshots and epochs', () => snapshotTests(harness));
    describe('recovery', () => recoveryTests(harness));
  });
}
