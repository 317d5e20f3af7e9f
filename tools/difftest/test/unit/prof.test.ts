import { it } from 'vitest';
import { startServer } from '../../src/servers.js';
import { writeFileSync } from 'node:fs';
it('srv', async () => {
  const s = await startServer('zookeeper');
  writeFileSync('/tmp/zkc/port', String(s.port));
  await new Promise((r) => setTimeout(r, 60000));
  await s.stop();
}, 70000);
