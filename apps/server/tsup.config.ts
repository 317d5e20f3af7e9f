import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Makes dist/cli.js runnable as `zkserver` (npm links bins; tsup marks the file executable).
  // Node ignores a hashbang at the top of any ES module, so it is harmless on index.js and chunks.
  banner: { js: '#!/usr/bin/env node' },
});
