import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/index.js';

const SEEDS = Number(process.env.SIM_SEEDS ?? 60);
const FIRST = Number(process.env.SIM_FIRST ?? 1);

describe('seeded simulation', () => {
  it(`${SEEDS} seeds from ${FIRST} keep every safety property and converge`, async () => {
    const failures: string[] = [];
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const r = await runSimulation({ seed, trace: false });
      if (!r.ok) failures.push(`seed ${seed}: ${r.failure}\n  replay: npm run sim -w @zk/sim -- --seed ${seed}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('replays a seed exactly', async () => {
    const a = await runSimulation({ seed: 7 });
    const b = await runSimulation({ seed: 7 });
    expect(b.trace).toEqual(a.trace);
    expect(b.committed).toBe(a.committed);
    expect(a.trace.length).toBeGreaterThan(0);
  });
});
