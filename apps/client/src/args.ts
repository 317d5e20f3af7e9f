// zkcli's own arguments (zkCli.sh's MyCommandOptions): options first, then the command.

export interface CliArgs {
  server: string;
  timeoutMs: number;
  readOnly: boolean;
  json: boolean;
  waitForConnection: boolean;
  /** The command to run once (one-shot mode); empty for the interactive shell. */
  command: string[];
  help: boolean;
}

export class ArgsError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
  const a: CliArgs = { server: 'localhost:2181', timeoutMs: 30_000, readOnly: false, json: false, waitForConnection: false, command: [], help: false };
  let i = 0;
  while (i < argv.length) {
    const w = argv[i]!;
    const next = (): string => {
      const v = argv[i + 1];
      if (v === undefined) throw new ArgsError(`${w} needs a value`);
      i += 2;
      return v;
    };
    if (w === '-server' || w === '--server') a.server = next();
    else if (w === '-timeout' || w === '--timeout') {
      const v = next();
      if (!/^\d+$/.test(v)) throw new ArgsError(`invalid -timeout: ${v}`);
      a.timeoutMs = Number(v);
    } else if (w === '-client-configuration') next();
    else if (w === '-r' || w === '-readonly') {
      a.readOnly = true;
      i++;
    } else if (w === '-waitforconnection') {
      a.waitForConnection = true;
      i++;
    } else if (w === '--json' || w === '-json') {
      a.json = true;
      i++;
    } else if (w === '-h' || w === '--help' || w === '-help') {
      a.help = true;
      i++;
    } else {
      a.command = argv.slice(i) as string[];
      break;
    }
  }
  return a;
}
