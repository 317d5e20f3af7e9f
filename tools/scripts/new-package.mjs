#!/usr/bin/env node
// Scaffolds a workspace package with the layout every package shares:
// tsup (ESM + .d.ts), vitest, strict tsconfig extending the base, README, curated src/index.ts.
// usage: node tools/scripts/new-package.mjs <dir e.g. packages/zxid> <@zk/name> "<description>" [dep ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, name, description, ...deps] = process.argv.slice(2);
if (!dir || !name || !description) {
  console.error('usage: new-package.mjs <dir> <@zk/name> "<description>" [dep ...]');
  process.exit(2);
}
if (existsSync(join(dir, 'package.json'))) {
  console.error(`${dir} already exists`);
  process.exit(1);
}
const base = relative(dir, 'tsconfig.base.json');
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const pkg = {
  name,
  version: '0.1.0',
  description,
  type: 'module',
  sideEffects: false,
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  files: ['dist'],
  scripts: {
    build: 'tsup',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    test: 'vitest run',
  },
  dependencies: Object.fromEntries(deps.map((d) => [d, '*'])),
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({ extends: base, compilerOptions: { noEmit: true }, include: ['src', 'test'] }, null, 2) + '\n',
);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  `import { defineConfig } from 'tsup';\n\nexport default defineConfig({\n  entry: ['src/index.ts'],\n  format: ['esm'],\n  dts: true,\n  sourcemap: true,\n  clean: true,\n  target: 'node20',\n});\n`,
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({\n  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },\n});\n`,
);
writeFileSync(join(dir, 'README.md'), `# ${name}\n\n${description}\n`);
writeFileSync(join(dir, 'src', 'index.ts'), `export {};\n`);
console.log(`created ${dir} (${name})`);
