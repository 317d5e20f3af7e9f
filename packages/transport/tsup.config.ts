import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entry points: the interfaces, and the vitest-based compliance suite
  // (subpath export `@zk/transport/compliance`). Shared code lands in a chunk.
  entry: ['src/index.ts', 'src/compliance.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['vitest'],
});
