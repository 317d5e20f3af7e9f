// Command-line arguments of `npm run ensemble`. Pure: argv in, options or an error out.

import type { ServerKind } from '@zk/testkit';

export interface EnsembleCliOptions {
  /** Voting members. */
  servers: number;
  observers: number;
  target: ServerKind;
  /** zoo.cfg tickTime (ms). */
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  /** Keep the temp dir (data, zoo.cfg, logs) after stopping. */
  keep: boolean;
  /** Print role changes while running (polls `srvr` every second). */
  watch: boolean;
  startTimeoutMs: number;
  help: boolean;
}

export const USAGE = `usage: npm run ensemble -- [options]

Starts an ensemble on 127.0.0.1 (free ports, a temp dir), prints its connect string and each
member's role, and stays in the foreground until Ctrl-C (SIGINT) or SIGTERM, then stops it.

  --servers N           voting members, 2..9 (default 3)
  --observers N         observers, 0..4 (default 0)
  --target zkts|zookeeper
                        zk-ts (apps/server/dist/cli.js, default) or Apache ZooKeeper 3.8
                        (QuorumPeerMain; Debian's zookeeper package); also 'ours' / 'zk'
  --tick-time MS        zoo.cfg tickTime (default 2000)
  --init-limit TICKS    zoo.cfg initLimit (default 10)
  --sync-limit TICKS    zoo.cfg syncLimit (default 5)
  --keep                keep the temp dir (zoo.cfg, data/, server.log per member) after stopping
  --no-watch            do not print role changes while running
  --start-timeout MS    how long to wait for a leader and every member to serve (default 90000)
  -h, --help            this text
`;

export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

function int(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new ArgsError(`${name} needs a whole number, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  const n = Number(value);
  if (n < min || n > max) throw new ArgsError(`${name} must be ${min}..${max}, got ${n}`);
  return n;
}

export function parseTarget(value: string | undefined): ServerKind {
  switch (value) {
    case 'zkts':
    case 'ours':
    case 'zk-ts':
      return 'zkts';
    case 'zookeeper':
    case 'zk':
      return 'zookeeper';
    default:
      throw new ArgsError(`--target must be zkts or zookeeper, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  }
}

export function parseArgs(argv: readonly string[]): EnsembleCliOptions {
  const o: EnsembleCliOptions = {
    servers: 3, observers: 0, target: 'zkts', tickTime: 2000, initLimit: 10, syncLimit: 5,
    keep: false, watch: true, startTimeoutMs: 90_000, help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--servers': o.servers = int(flag, value(), 2, 9); break;
      case '--observers': o.observers = int(flag, value(), 0, 4); break;
      case '--target': o.target = parseTarget(value()); break;
      case '--tick-time': o.tickTime = int(flag, value(), 1, 60_000); break;
      case '--init-limit': o.initLimit = int(flag, value(), 1, 1000); break;
      case '--sync-limit': o.syncLimit = int(flag, value(), 1, 1000); break;
      case '--start-timeout': o.startTimeoutMs = int(flag, value(), 1000, 3_600_000); break;
      case '--keep': o.keep = true; break;
      case '--no-watch': o.watch = false; break;
      case '-h':
      case '--help': o.help = true; break;
      default: throw new ArgsError(`unknown argument "${raw}"`);
    }
  }
  return o;
}
