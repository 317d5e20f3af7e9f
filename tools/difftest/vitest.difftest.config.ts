import { defineConfig } from 'vitest/config';

// The differential run (slow: starts real servers). `npm run difftest`.
export default defineConfig({
  test: {
    include: ['test/difftest/**/*.diff.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: [process.env['ZK_DIFF_REPORTER'] ?? 'default'],
  },
});
