/**
 * npm run sim -- --seeds 1000 [--mode peer|server] [--servers 3|5] [--observers N] [--clients N]
 *                [--seed S] [--first F] [--fault-ms MS] [--server-log] [--durability] [--trace] [--verbose]
 */
import { execSync } from 'node:child_process';
import { runServerSimulation } from './server-sim.js';
import { runSimulation } from './sim.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  return process.argv[i + 1];
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

function gitCommit(): string {
  try {
    return execSync('git rev-parse HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() +
      (execSync('git status --porcelain', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === '' ? '' : ' (dirty tree)');
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const mode = arg('mode') ?? 'peer';
  if (mode === 'server') return serverMode();
  if (mode !== 'peer') throw new Error(`--mode must be peer or server, not ${mode}`);
  const servers = arg('servers') !== undefined ? Number(arg('servers')) : undefined;
  const observers = arg('observers') !== undefined ? Number(arg('observers')) : undefined;
  const one = arg('seed');
  const first = Number(arg('first') ?? (one ?? (Date.now() % 1_000_000_000)));
  const n = one !== undefined ? 1 : Number(arg('seeds') ?? 100);
  const faultMs = arg('fault-ms') !== undefined ? Number(arg('fault-ms')) : undefined;
  const commit = gitCommit();
  let failed = 0;
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const seed = first + i;
    const r = await runSimulation({
      seed,
      ...(servers !== undefined ? { servers } : {}),
      ...(observers !== undefined ? { observers } : {}),
      ...(faultMs !== undefined ? { faultMs } : {}),
    });
    const line = `seed ${seed}: ${r.ok ? 'ok' : 'FAIL'} servers=${r.servers}+${r.observers} committed=${r.committed} acked=${r.acked} elections=${r.elections} faults=${JSON.stringify(r.faults)} virtual=${r.virtualMs}ms`;
    if (!r.ok) {
      failed++;
      console.log(line);
      if (flag('trace') || one !== undefined) console.log(r.trace.join('\n'));
      console.log(`  ${r.failure}`);
      const extra = `${servers !== undefined ? ` --servers ${servers}` : ''}${observers !== undefined ? ` --observers ${observers}` : ''}${faultMs !== undefined ? ` --fault-ms ${faultMs}` : ''}`;
      console.log(`  commit ${commit}`);
      console.log(`  replay: npm run sim -w @zk/sim -- --seed ${seed}${extra}`);
    } else if (one !== undefined || flag('verbose')) {
      console.log(line);
      if (flag('trace')) console.log(r.trace.join('\n'));
    }
  }
  console.log(`${n} seeds from ${first}: ${n - failed} ok, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s), commit ${commit}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

/** --mode server: real @zk/server members plus wire-protocol clients (src/server-sim.ts). */
async function serverMode(): Promise<void> {
  const num = (name: string): number | undefined => (arg(name) !== undefined ? Number(arg(name)) : undefined);
  const servers = num('servers');
  const observers = num('observers');
  const clients = num('clients');
  const faultMs = num('fault-ms');
  const one = arg('seed');
  const first = Number(arg('first') ?? (one ?? (Date.now() % 1_000_000_000)));
  const n = one !== undefined ? 1 : Number(arg('seeds') ?? 100);
  const commit = gitCommit();
  const extra = `${servers !== undefined ? ` --servers ${servers}` : ''}${observers !== undefined ? ` --observers ${observers}` : ''}` +
    `${clients !== undefined ? ` --clients ${clients}` : ''}${faultMs !== undefined ? ` --fault-ms ${faultMs}` : ''}${flag('durability') ? ' --durability' : ''}`;
  let failed = 0;
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const seed = first + i;
    const s0 = Date.now();
    const r = await runServerSimulation({
      seed,
      ...(servers !== undefined ? { servers } : {}),
      ...(observers !== undefined ? { observers } : {}),
      ...(clients !== undefined ? { clients } : {}),
      ...(faultMs !== undefined ? { faultMs } : {}),
      ...(flag('server-log') ? { serverLog: true } : {}),
      ...(flag('durability') ? { durability: true } : {}),
    });
    const st = r.stats;
    const line = `seed ${seed}: ${r.ok ? 'ok' : 'FAIL'} servers=${r.servers}+${r.observers} clients=${r.clients} snapCount=${r.snapCount} ` +
      `ops=${st['ops']} acked=${st['acked']} failed=${st['failed']} indoubt=${st['indoubt']} events=${st['events']} sessions=${st['sessions']} ` +
      `expired=${st['expired']} moved=${st['sessionMoved']} probes=${st['probes']} syncs=${st['syncDIFF'] ?? 0}/${st['syncTRUNC'] ?? 0}/${st['syncSNAP'] ?? 0} snaps=${st['snapshots']} elections=${r.elections} faults=${JSON.stringify(r.faults)} ` +
      `virtual=${r.virtualMs}ms fp=${r.fingerprint} real=${Date.now() - s0}ms`;
    if (!r.ok) {
      failed++;
      console.log(line);
      if (flag('trace') || one !== undefined) console.log(r.trace.join('\n'));
      console.log(`  ${r.failure}`);
      console.log(`  commit ${commit}`);
      console.log(`  replay: npm run sim -w @zk/sim -- --mode server --seed ${seed}${extra}`);
    } else if (one !== undefined || flag('verbose')) {
      console.log(line);
      if (flag('trace')) console.log(r.trace.join('\n'));
    }
  }
  console.log(`server mode: ${n} seeds from ${first}: ${n - failed} ok, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s), commit ${commit}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
