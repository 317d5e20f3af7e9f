// The differential run: every case on two servers, normalised transcripts compared.
//   ZK_DIFF_TARGET=ours (default)  Apache ZooKeeper vs zk-ts
//   ZK_DIFF_TARGET=zk              Apache ZooKeeper vs Apache ZooKeeper (calibrates the harness)
//   ZK_DIFF_TARGET=ours-vs-ours    zk-ts vs zk-ts (determinism of our server)
//   ZK_DIFF_FILTER=<regex>         only cases whose name matches
//   ZK_DIFF_ZXID=delta|rank        zxid normalisation (default delta)
//   ZK_DIFF_REPORT=<file>          where to write the markdown report (default reports/last-<target>.md)
//   ZK_DIFF_STRICT=1               deliberate differences (src/expected.ts) fail too
//   ZK_DIFF_DUMP=1                 also write every normalised transcript of the left side to
//                                  reports/transcripts-<target>.txt (ZooKeeper's behaviour, case by case)
//   ZK_DIFF_ENSEMBLE=1             each side is a 3-server ensemble: cases run on a follower,
//                                  re-attached sessions move to the other follower (reports get an
//                                  -ensemble suffix)

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CaseDef } from '../../src/case.js';
import { allCases } from '../../src/cases/index.js';
import { expectedDifference } from '../../src/expected.js';
import { groupSettings } from '../../src/groups.js';
import type { ZxidMode } from '../../src/normalise.js';
import { firstDifference, PairRunner, sideBySide, type Topology } from '../../src/runner.js';
import { RawSession } from '../../src/raw-session.js';
import type { ServerKind } from '@zk/testkit';

const topology: Topology = process.env['ZK_DIFF_ENSEMBLE'] === '1' ? 'ensemble' : 'standalone';
const target = (process.env['ZK_DIFF_TARGET'] ?? 'ours') + (topology === 'ensemble' ? '-ensemble' : '');
const baseTarget = process.env['ZK_DIFF_TARGET'] ?? 'ours';
if (topology === 'ensemble') RawSession.barrierTimeoutMs = 10_000;
const kinds: [ServerKind, ServerKind] =
  baseTarget === 'zk' ? ['zookeeper', 'zookeeper'] : baseTarget === 'ours-vs-ours' ? ['zkts', 'zkts'] : ['zookeeper', 'zkts'];
const suffix = topology === 'ensemble' ? ' ensemble' : '';
const names: [string, string] = kinds[0] === kinds[1] ? [`${kinds[0]}${suffix}#1`, `${kinds[1]}${suffix}#2`] : [kinds[0] + suffix, kinds[1] + suffix];
const zxidMode = (process.env['ZK_DIFF_ZXID'] ?? 'delta') as ZxidMode;
const filter = process.env['ZK_DIFF_FILTER'] ? new RegExp(process.env['ZK_DIFF_FILTER']) : null;

const all = allCases();
const indexed = all.map((c, i) => ({ c, i })).filter(({ c }) => !filter || filter.test(c.name));
const groups = new Map<string, Array<{ c: CaseDef; i: number }>>();
for (const x of indexed) {
  const g = x.c.group ?? 'default';
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g)!.push(x);
}

const failures: Array<{ name: string; summary: string; detail: string }> = [];
const expected: Array<{ name: string; reason: string; summary: string }> = [];
const noLongerDiffer: string[] = [];
const strict = process.env['ZK_DIFF_STRICT'] === '1' || kinds[0] === kinds[1];
const dump: string[] = [];
let ran = 0;
const t0 = Date.now();

afterAll(() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const report = process.env['ZK_DIFF_REPORT'] ?? resolve(here, '..', '..', 'reports', `last-${target}.md`);
  mkdirSync(dirname(report), { recursive: true });
  const lines = [
    `# difftest ${names[0]} vs ${names[1]}`,
    '',
    `${ran} cases run (${all.length} defined), ${failures.length} differ, ${expected.length} differ as expected, ${((Date.now() - t0) / 1000).toFixed(1)} s, zxid mode ${zxidMode}.`,
    '',
    ...failures.map((f) => `- \`${f.name}\`: ${f.summary.replace(/\|/g, '\\|')}`),
    '',
    ...(expected.length ? ['## Expected (deliberate) differences', '', ...expected.map((e) => `- \`${e.name}\` (${e.reason}): ${e.summary}`), ''] : []),
    ...(noLongerDiffer.length ? ['## Listed as expected differences but identical now', '', ...noLongerDiffer.map((n) => `- \`${n}\``), ''] : []),
    ...failures.flatMap((f) => [`## ${f.name}`, '', '```', f.detail, '```', '']),
  ];
  writeFileSync(report, lines.join('\n'));
  if (dump.length) writeFileSync(resolve(dirname(report), `transcripts-${target}.txt`), dump.join('\n'));
  console.log(
    `difftest: ${ran} cases run (${all.length} defined), ${failures.length} differ` +
      (expected.length ? `, ${expected.length} differ as expected` : '') +
      ` — ${names[0]} vs ${names[1]}; report: ${join(report)}`,
  );
});

for (const [group, cases] of groups) {
  describe.sequential(`${group}`, () => {
    let pair: PairRunner;
    beforeAll(async () => {
      pair = new PairRunner(kinds, groupSettings(group), zxidMode, topology);
      await pair.start();
    }, 120_000);
    afterAll(async () => {
      await pair?.stop();
    }, 60_000);
    for (const { c, i } of cases) {
      it(c.name, async () => {
        const r = await pair.run(c, i);
        ran++;
        if (process.env['ZK_DIFF_DUMP'] === '1') dump.push(`=== ${c.name}`, ...r.a.lines, '');
        const reason = kinds[0] !== kinds[1] && !r.oursOnly ? expectedDifference(c.name) : null;
        if (reason !== null && r.same) noLongerDiffer.push(c.name);
        if (!r.same && reason !== null && !strict) {
          expected.push({ name: c.name, reason, summary: firstDifference(r.a.lines, r.b.lines) });
          return;
        }
        if (!r.same) {
          const detail = sideBySide(names[0], r.a.lines, names[1], r.b.lines);
          failures.push({ name: c.name, summary: firstDifference(r.a.lines, r.b.lines), detail });
          throw new Error(`transcripts differ (${names[0]} left, ${names[1]} right):\n${detail}`);
        }
      }, 90_000);
    }
  });
}
