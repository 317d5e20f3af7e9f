/**
 * Seeded randomized ensembles (see harness/sim.ts). Every step is checked by
 * the per-node `invariants()` and the global Checker; a failing seed is
 * printed with the tail of its trace and replays exactly:
 *   SEED=123 VOTERS=5 npx vitest run test/randomized.test.ts
 * Longer sweeps: SEEDS=5000 FIRST_SEED=1001 npx vitest run test/randomized.test.ts --testTimeout=0
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type SimConfig } from './harness/sim.js';

const only = process.env['SEED'] === undefined ? null : Number(process.env['SEED']);
const seeds = Number(process.env['SEEDS'] ?? 200);
const firstSeed = Number(process.env['FIRST_SEED'] ?? 1);

interface Totals {
  failures: string[];
  commits: number;
  elections: number;
  crashes: number;
  sent: Map<string, number>;
}

function runSeeds(cfg: SimConfig, first: number, count: number): Totals {
  const failures: string[] = [];
  let commits = 0;
  let elections = 0;
  let crashes = 0;
  const sent = new Map<string, number>();
  const list = only === null ? Array.from({ length: count }, (_, i) => first + i) : [only];
  for (const seed of list) {
    const sim = new Simulation(seed, cfg);
    try {
      const r = sim.run();
      commits += r.commits;
      elections += r.elections;
      crashes += r.crashes;
      for (const [k, v] of r.sent) sent.set(k, (sent.get(k) ?? 0) + v);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      failures.push(`seed ${seed}: ${msg}`);
      // Same seed, same run: replay it with the trace on to show how it got there.
      const replay = new Simulation(seed, cfg, true);
      try {
        replay.run();
      } catch {
        // expected: it fails the same way
      }
      console.error(
        `FAILED seed=${seed} voters=${cfg.voters} observers=${cfg.observers}: ${msg}\n` +
          `replay: SEED=${seed} VOTERS=${cfg.voters} OBSERVERS=${cfg.observers} npx vitest run test/randomized.test.ts\n` +
          replay.cluster.trace.slice(-80).join('\n'),
      );
    }
  }
  return { failures, commits, elections, crashes, sent };
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
      const r = runSeeds(cfg, firstSeed, seeds);
      const sync = ['DIFF', 'TRUNC', 'SNAP'].map((t) => `${t}=${r.sent.get(t) ?? 0}`).join(' ');
      console.log(
        `${cfg.voters}v+${cfg.observers}o: ${only === null ? seeds : 1} seeds, ${r.commits} committed writes, ` +
          `${r.elections} elections, ${r.crashes} crashes, ${sync}`,
      );
      expect(r.failures).toEqual([]);
    });
  }
});
