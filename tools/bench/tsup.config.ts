import { defineConfig } from 'tsup';

export default defineConfig({
  // cli: the benchmark; worker: the load-generator thread (loaded by URL from cli); index: the library.
  entry: ['src/index.ts', 'src/cli.ts', 'src/worker.ts'],
  format: ['esm'],
  dts: { entry: ['src/index.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
