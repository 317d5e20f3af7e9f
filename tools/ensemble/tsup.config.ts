import { defineConfig } from 'tsup';

export default defineConfig({
  // @zk/testkit (a dev dependency, TypeScript source) is bundled into both entries.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: ['src/index.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
