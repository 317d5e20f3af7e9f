// Command-line options of `npm run bench -- ...`.

import type { SystemKind } from './config.js';

export interface BenchArgs {
  suite: 'quick' | 'full';
  target: 'ours' | 'zookeeper' | 'both';
  /** Which system runs first in each repetition when both run. */
  first: SystemKind;
  workers: number;
  servers: number;
  /** undefined = no profile; '' = default directory. */
  cpuProf?: string;
  writeDoc: boolean;
  tree: boolean;
  keep: boolean;
  tickTime: number;
  zkHeapMb: number;
  valueSize: number;
  keys: number;
  dataDir?: string;
  logLevel: string;
  repetitions?: number;
  warmupMs?: number;
  measureMs?: number;
  serverWarmupMs?: number;
  treeZnodes?: number;
  /** Client benchmark: outstanding requests of the one client session (default 64). */
  clientDepth: number;
  /** Client benchmark: repetitions override (default: the suite's). */
  clientRepetitions?: number;
  /** Failover: rounds override (default: the suite's). */
  failoverRounds?: number;
  /** Run only these parts (default all). */
  only?: Part[];
  help: boolean;
}

export const PARTS = ['throughput', 'latency', 'fanout', 'storm', 'tree', 'client', 'failover'] as const;
export type Part = (typeof PARTS)[number];

export const USAGE = `usage: npm run bench -- [options]

  --suite quick|full        quick: 1 repetition, ~3-4 min; full: 3 repetitions + 1M-znode restart (default quick)
                            (both include the client benchmark; failover runs with --servers 3)
  --target ours|zookeeper|both   systems to run (default both; ratios need both)
  --first zookeeper|ours    which system runs first in each repetition (default zookeeper)
  --workers N               load-generator worker threads (default 2)
  --servers N               servers per system (default 1 = standalone; 3 = ensemble, the same zoo.cfg
                            server.N lines + myid for both; a system that fails to start as an
                            ensemble is reported "not measured: <its error>")
  --cpu-prof [DIR]          run OUR server under node --cpu-prof (first repetition), summarise the profile
                            (default DIR tools/bench/profiles/<timestamp>)
  --no-doc                  do not update docs/benchmarks.md
  --no-tree                 skip the large-tree build / restart / snapshot workload
  --tree-znodes N           override the tree size (quick 150000, full 1000000)
  --repetitions N, --warmup-ms N, --measure-ms N, --server-warmup-ms N   override the suite's
  --tick-time MS            tickTime for both systems (default 2000)
  --zk-heap-mb N            ZooKeeper -Xmx (default 1000, as upstream zkEnv.sh)
  --value-size N            bytes per znode value (default 100)
  --keys N                  keys read / updated by the throughput workloads (default 1000)
  --data-dir DIR            where temporary dataDirs go (default os.tmpdir())
  --log-level LEVEL         server log level (default warn, both systems)
  --only LIST               run only some parts: throughput,latency,fanout,storm,tree,client,failover
                            client: @zk/client vs node-zookeeper-client, each in its own process, on
                            the same server(s) of each --target (getData/setData/create, 1 session)
                            failover: kill -9 the leader of a 3-server ensemble (needs --servers 3)
  --client-depth N          client benchmark: outstanding requests (default 64)
  --client-repetitions N    client benchmark: A B A B repetitions (default: quick 1, full 3)
  --failover-rounds N       failover: rounds, the killed server restarted between rounds (quick 3, full 7)
  --keep                    keep the temporary directories
`;

export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

function int(name: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min) throw new ArgsError(`${name} needs an integer >= ${min} (got ${v ?? 'nothing'})`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = {
    suite: 'quick',
    target: 'both',
    first: 'zookeeper',
    workers: 2,
    servers: 1,
    writeDoc: true,
    tree: true,
    keep: false,
    tickTime: 2000,
    zkHeapMb: 1000,
    valueSize: 100,
    keys: 1000,
    logLevel: 'warn',
    clientDepth: 64,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--suite': {
        const v = value();
        if (v !== 'quick' && v !== 'full') throw new ArgsError(`--suite must be quick or full (got ${v})`);
        a.suite = v;
        break;
      }
      case '--target': {
        const v = value();
        if (v !== 'ours' && v !== 'zookeeper' && v !== 'both') throw new ArgsError(`--target must be ours, zookeeper or both (got ${v})`);
        a.target = v;
        break;
      }
      case '--first': {
        const v = value();
        if (v !== 'ours' && v !== 'zookeeper') throw new ArgsError(`--first must be ours or zookeeper (got ${v})`);
        a.first = v;
        break;
      }
      case '--workers':
        a.workers = int(name, value(), 1);
        break;
      case '--servers':
        a.servers = int(name, value(), 1);
        break;
      case '--cpu-prof': {
        if (inline !== undefined) a.cpuProf = inline;
        else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) a.cpuProf = argv[++i]!;
        else a.cpuProf = '';
        break;
      }
      case '--no-doc':
        a.writeDoc = false;
        break;
      case '--no-tree':
        a.tree = false;
        break;
      case '--keep':
        a.keep = true;
        break;
      case '--tick-time':
        a.tickTime = int(name, value(), 1);
        break;
      case '--zk-heap-mb':
        a.zkHeapMb = int(name, value(), 64);
        break;
      case '--value-size':
        a.valueSize = int(name, value(), 0);
        break;
      case '--keys':
        a.keys = int(name, value(), 1);
        break;
      case '--data-dir': {
        const v = value();
        if (!v) throw new ArgsError('--data-dir needs a directory');
        a.dataDir = v;
        break;
      }
      case '--log-level': {
        const v = value();
        if (!v) throw new ArgsError('--log-level needs a level');
        a.logLevel = v;
        break;
      }
      case '--repetitions':
        a.repetitions = int(name, value(), 1);
        break;
      case '--warmup-ms':
        a.warmupMs = int(name, value(), 0);
        break;
      case '--server-warmup-ms':
        a.serverWarmupMs = int(name, value(), 0);
        break;
      case '--measure-ms':
        a.measureMs = int(name, value(), 100);
        break;
      case '--tree-znodes':
        a.treeZnodes = int(name, value(), 0);
        break;
      case '--client-depth':
        a.clientDepth = int(name, value(), 1);
        break;
      case '--client-repetitions':
        a.clientRepetitions = int(name, value(), 1);
        break;
      case '--failover-rounds':
        a.failoverRounds = int(name, value(), 1);
        break;
      case '--only': {
        const v = value() ?? '';
        const parts = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
        for (const p of parts) if (!(PARTS as readonly string[]).includes(p)) throw new ArgsError(`--only takes ${PARTS.join(',')} (got ${p})`);
        if (parts.length === 0) throw new ArgsError('--only needs a list');
        a.only = parts as Part[];
        break;
      }
      case '--help':
      case '-h':
        a.help = true;
        break;
      default:
        throw new ArgsError(`unknown option ${raw}`);
    }
  }
  if (a.only?.includes('failover') && a.servers < 3) throw new ArgsError('--only failover needs an ensemble: add --servers 3');
  return a;
}

/** Systems in run order. */
export function systemsOf(a: BenchArgs): SystemKind[] {
  if (a.target === 'ours') return ['ours'];
  if (a.target === 'zookeeper') return ['zookeeper'];
  return a.first === 'ours' ? ['ours', 'zookeeper'] : ['zookeeper', 'ours'];
}

/** The command line to print in the report (root script form). */
export function commandLine(argv: readonly string[]): string {
  return ['npm run bench --', ...argv].join(' ');
}
