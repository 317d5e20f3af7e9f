import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
  resolve: {
    // Until packages/server/src/index.ts re-exports config + logger; see test/support/zk-server-entry.ts.
    alias: { '@zk/server': fileURLToPath(new URL('./test/support/zk-server-entry.ts', import.meta.url)) },
  },
});
