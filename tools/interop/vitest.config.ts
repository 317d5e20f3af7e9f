import { defineConfig } from 'vitest/config';

// Fast unit tests of the interop helpers (no servers, no clients). `npm run interop` runs the real thing.
export default defineConfig({
  test: { include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
});
