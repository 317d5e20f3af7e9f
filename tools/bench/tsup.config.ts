import { defineConfig } from 'tsup';

export default defineConfig({
  // cli: the benchmark; worker: the load-generator thread (loaded by URL from cli); client-load: one
  // client library's load process (fork()ed by URL from cli); index: the library.
  entry: ['src/index.ts', 'src/cli.ts', 'src/worker.ts', 'src/client-load.ts'],
  // The compared client is loaded as installed (CommonJS, require()d at run time), never bundled.
  external: ['node-zookeeper-client'],
  format: ['esm'],
  dts: { entry: ['src/index.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
