import { it } from 'vitest';
import { ServerDriver } from '../../src/runner.js';
import { allCases } from '../../src/cases/index.js';

it('prof', async () => {
  const cs = allCases().filter((c) => /^node\/createTTL-(neg|huge|maxvalid)\//.test(c.name));
  for (const c of cs) {
    const a = await ServerDriver.start('zookeeper', {});
    let line = '';
    try {
      const r = await a.runCase(c, 1);
      line = r.lines.filter((l) => /createTTL/.test(l)).join(' || ');
    } catch (e) { line = 'THREW ' + (e as Error).message; }
    await new Promise((res) => setTimeout(res, 500));
    console.log('RESULT', c.name, 'alive', a.server.alive(), line);
    await a.stop().catch(() => undefined);
  }
}, 300000);
