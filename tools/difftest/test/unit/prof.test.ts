import { it } from 'vitest';
import { PairRunner } from '../../src/runner.js';
import { allCases } from '../../src/cases/index.js';

it('prof', async () => {
  const p = new PairRunner(['zookeeper', 'zookeeper'], {});
  await p.start();
  try {
    const cs = allCases();
    for (const [from, to] of [[0, 40], [400, 440], [900, 940], [1100, 1140]]) {
      const t0 = Date.now();
      const times: number[] = [];
      for (let i = from; i < to; i++) { const r = await p.run(cs[i]!, i); times.push(Math.max(r.a.ms, r.b.ms)); }
      console.log(from, 'per case', (Date.now() - t0) / 40, 'max', Math.max(...times), cs[from]!.name);
    }
  } finally { await p.stop(); }
}, 120000);
