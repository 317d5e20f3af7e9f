import { defineConfig } from 'vitest/config';

// Fast unit tests of the harness itself (no servers). The differential run has its own config.
export default defineConfig({
  test: { include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
});
