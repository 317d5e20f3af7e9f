import { defineConfig } from 'vitest/config';

// Real clients (zkCli.sh, kazoo, node-zookeeper-client, cli_mt) against a real server. `npm run interop`.
export default defineConfig({
  test: {
    include: ['test/**/*.interop.ts'],
    globalSetup: ['test/require-clients.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One server and one client JVM/interpreter at a time: the machine has two cores.
    fileParallelism: false,
  },
});
