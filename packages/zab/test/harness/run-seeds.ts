/**
 * Runs a range of seeds of one ensemble shape (harness/sim.ts) and reports.
 * A failing seed is replayed with the trace on and printed together with the
 * command that replays it. Environment:
 *   SEEDS=n (default 200)  FIRST_SEED=f (default 1)  SEED=s (just that one)
 *   VOTERS=v OBSERVERS=o   (restrict to one shape)
 *   e.g. SEED=123 VOTERS=5 npx vitest run test/randomized
 *        SEEDS=5000 FIRST_SEED=1001 npx vitest run test/randomized --testTimeout=0
 */
import { expect, it } from 'vitest';
import { Simulation, type SimConfig } from './sim.js';

const only = process.env['SEED'] === undefined ? null : Number(process.env['SEED']);
const seeds = Number(process.env['SEEDS'] ?? 200);
const firstSeed = Number(process.env['FIRST_SEED'] ?? 1);

export function randomizedSuite(voters: number, observers: number): void {
  const envVoters = process.env['VOTERS'];
  if (envVoters !== undefined && (Number(envVoters) !== voters || Number(process.env['OBSERVERS'] ?? 0) !== observers)) {
    it.skip(`${voters} voters + ${observers} observers (not selected)`, () => {});
    return;
  }
  const cfg: SimConfig = { voters, observers, steps: 1500 };
  const list = only === null ? Array.from({ length: seeds }, (_, i) => firstSeed + i) : [only];
  it(`${voters} voters + ${observers} observers, ${list.length} seeds`, () => {
    const failures: string[] = [];
    let commits = 0;
    let elections = 0;
    let crashes = 0;
    const sent = new Map<string, number>();
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
          `FAILED seed=${seed} voters=${voters} observers=${observers}: ${msg}\n` +
            `replay: SEED=${seed} VOTERS=${voters} OBSERVERS=${observers} npx vitest run test/randomized\n` +
            replay.cluster.trace.slice(-80).join('\n'),
        );
      }
    }
    const sync = ['DIFF', 'TRUNC', 'SNAP'].map((t) => `${t}=${sent.get(t) ?? 0}`).join(' ');
    console.log(
      `${voters}v+${observers}o: ${list.length} seeds, ${commits} committed writes, ${elections} elections, ` +
        `${crashes} crashes, ${sync}`,
    );
    expect(failures).toEqual([]);
  });
}
