/**
 * Seeded randomized ensembles (see harness/sim.ts). Every step is checked by
 * the per-node `invariants()` and the global Checker; a failing seed is
 * printed with the tail of its trace and replays exactly:
 *   SEED=123 VOTERS=5 npx vitest run test/randomized.test.ts
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type SimConfig } from './harness/sim.js';

const only = process.env['SEED'] === undefined ? null : Number(process.env['SEED']);
const seeds = Number(process.env['SEEDS'] ?? 200);

function runSeeds(cfg: SimConfig, first: number, count: number): { failures: string[]; commits: number; elections: number; crashes: number } {
  const failures: string[] = [];
  let commits = 0;
  let elections = 0;
  let crashes = 0;
  const list = only === null ? Array.from({ length: count }, (_, i) => first + i) : [only];
  for (const seed of list) {
    const sim = new Simulation(seed, cfg);
    try {
      const r = sim.run();
      commits += r.commits;
      elections += r.elections;
      crashes += r.crashes;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      failures.push(`seed ${seed}: ${msg}`);
      console.error(
        `FAILED seed=${seed} voters=${cfg.voters} observers=${cfg.observers}: ${msg}\n` +
          sim.cluster.trace.slice(-80).join('\n'),
      );
    }
  }
  return { failures, commits, elections, crashes };
}

describe('randomized ensembles', () => {
  const envVoters = process.env['VOTERS'];
  const configs: SimConfig[] = envVoters !== undefined
    ? [{ voters: Number(envVoters), observers: Number(process.env['OBSERVERS'] ?? 0), steps: 1500 }]
    : [
        { voters: 3, observers: 0, steps: 1500 },
        { voters: 3, observers: 1, steps: 1500 },
        { voters: 5, observers: 0, steps: 1500 },
      ];
  for (const cfg of configs) {
    it(`${cfg.voters} voters + ${cfg.observers} observers, ${seeds} seeds`, () => {
      const r = runSeeds(cfg, 1, seeds);
      console.log(
        `${cfg.voters}v+${cfg.observers}o: ${seeds} seeds, ${r.commits} committed writes, ${r.elections} elections, ${r.crashes} crashes`,
      );
      expect(r.failures).toEqual([]);
    });
  }
});
