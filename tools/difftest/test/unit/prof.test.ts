import { it } from 'vitest';
import { PairRunner } from '../../src/runner.js';
import { allCases } from '../../src/cases/index.js';

it('prof', async () => {
  const p = new PairRunner(['zookeeper', 'zookeeper'], {});
  await p.start();
  try {
    const cs = allCases();
    for (const i of cs.map((c, j) => [c.name, j] as const).filter(([n]) => /^op\/check\/existing|^op\/multi-check\/existing/.test(n)).map(([, j]) => j)) { const r = await p.run(cs[i]!, i); console.log(cs[i]!.name, r.a.ms, r.a.lines.join('\n')); }
  } finally { await p.stop(); }
}, 120000);
