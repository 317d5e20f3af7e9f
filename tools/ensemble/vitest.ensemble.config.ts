import { defineConfig } from 'vitest/config';

// The real-process ensemble tests (`npm run ensemble-test`, root `npm run test:ensemble`): zk-ts
// members as child processes; needs apps/server/dist/cli.js (npm run build). One file at a time:
// the machine has two cores and each file runs its own ensembles.
export default defineConfig({
  test: {
    include: ['test/**/*.ensemble.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
