import { describe, expect, it } from 'vitest';
import { runServerSimulation } from '../src/index.js';

// Full-server mode: real @zk/server members plus wire-protocol clients (src/server-sim.ts).
const SEEDS = Number(process.env.SIM_SERVER_SEEDS ?? 60);
const FIRST = Number(process.env.SIM_SERVER_FIRST ?? 1);

describe('seeded simulation of whole servers', () => {
  it(`${SEEDS} seeds from ${FIRST}: clients' acknowledged writes, sessions, watches and replicas stay consistent; the ensemble converges`, async () => {
    const failures: string[] = [];
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const r = await runServerSimulation({ seed, trace: false });
      if (!r.ok) failures.push(`seed ${seed}: ${r.failure}\n  replay: npm run sim -w @zk/sim -- --mode server --seed ${seed}`);
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it('replays a seed exactly', async () => {
    const a = await runServerSimulation({ seed: 7 });
    const b = await runServerSimulation({ seed: 7 });
    expect(a.ok).toBe(true);
    expect(b.trace).toEqual(a.trace);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.stats).toEqual(a.stats);
    expect(a.stats['acked']).toBeGreaterThan(0);
  }, 60_000);

  it('a durability run (power losses on slow disks, write-heavy clients) keeps every acknowledged write', async () => {
    const r = await runServerSimulation({ seed: 3, durability: true, trace: false });
    expect(r.failure).toBeUndefined();
    expect(r.faults['power-loss'] ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
