/**
 * @packageDocumentation
 * The transport compliance suite. A transport runs it from one test file:
 *
 * ```ts
 * import transportCompliance from '@zk/transport/compliance';
 * import { myTransport } from '../src/index.js';
 *
 * transportCompliance({
 *   name: 'my transport',
 *   async create() {
 *     return { transport: myTransport(), listenAddress: { host: '127.0.0.1', port: 0 } };
 *   },
 * });
 * ```
 *
 * It registers vitest `describe` / `it` cases, so it must be called at the top
 * level of a vitest test file. It uses real event-loop turns (never wall-clock
 * sleeps), so the transport must make progress on its own (for the in-memory
 * transport: with its default real-time scheduler).
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { backpressureCases } from './compliance/cases-backpressure.js';
import { closeCases } from './compliance/cases-close.js';
import { connectCases } from './compliance/cases-connect.js';
import { dataCases } from './compliance/cases-data.js';
import { dialCases } from './compliance/cases-dial.js';
import { Harness, type TransportComplianceSetup } from './compliance/harness.js';

export type { ComplianceFixture, TransportComplianceSetup } from './compliance/harness.js';

/** Registers the compliance cases for the transport that `setup.create()` returns. */
export default function transportCompliance(setup: TransportComplianceSetup): void {
  describe(`transport compliance: ${setup.name}`, () => {
    let harness: Harness | undefined;
    const h = (): Harness => {
      if (harness === undefined) throw new Error('compliance harness used outside a test');
      return harness;
    };

    beforeEach(async () => {
      harness = new Harness(await setup.create());
    });

    afterEach(async () => {
      const current = harness;
      harness = undefined;
      await current?.cleanup();
      await setup.teardown?.();
    });

    describe('connecting', () => connectCases(h));
    describe('data', () => dataCases(h));
    describe('closing', () => closeCases(h));
    describe('dialling and listener close', () => dialCases(h));
    describe('back-pressure', () => backpressureCases(h));
  });
}
