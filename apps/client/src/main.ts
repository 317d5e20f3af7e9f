// zkcli's two modes: one command then exit (`zkcli -server h:p ls /`), or the interactive shell.

import * as readline from 'node:readline';
import type { ClientOptions } from '@zk/client';
import { ArgsError, parseArgs, type CliArgs } from './args.js';
import { complete } from './completer.js';
import { Shell } from './shell.js';

export interface Io {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Extra client options (tests pass a transport). */
  readonly clientOptions?: ClientOptions;
}

/** Runs zkcli with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (args.help) {
    const shell = new Shell({ ...shellOptions(args, io), printSessionEvents: false });
    await shell.run([]);
    return 0;
  }
  return args.command.length > 0 ? oneShot(args, io) : interactive(args, io);
}

function shellOptions(args: CliArgs, io: Io) {
  return {
    server: args.server,
    timeoutMs: args.timeoutMs,
    readOnly: args.readOnly,
    json: args.json,
    stdout: (t: string) => void io.stdout.write(t),
    stderr: (t: string) => void io.stderr.write(t),
    clientOptions: io.clientOptions,
  };
}

/** One-shot commands answered without a server (zkCli.sh prints its version even when none is up). */
const OFFLINE_COMMANDS = new Set(['version', 'history', 'printwatches']);

async function oneShot(args: CliArgs, io: Io): Promise<number> {
  const shell = new Shell({ ...shellOptions(args, io), printSessionEvents: false });
  if (OFFLINE_COMMANDS.has(args.command[0] ?? '')) {
    await shell.run(args.command);
    return shell.exitCode;
  }
  let zk;
  try {
    zk = shell.connect();
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  try {
    await zk.waitForConnected({ timeoutMs: args.timeoutMs });
  } catch (err) {
    const message = `Unable to connect to ${args.server}: ${(err as Error).message}`;
    io.stderr.write(args.json ? `${JSON.stringify({ error: { message, code: -4, name: 'CONNECTIONLOSS' } })}\n` : `${message}\n`);
    await zk.close();
    return 1;
  }
  await shell.run(args.command);
  await shell.zk?.close();
  return shell.exitCode;
}

async function interactive(args: CliArgs, io: Io): Promise<number> {
  const tty = io.input.isTTY === true;
  let rl: readline.Interface | undefined;
  let atPrompt = false;
  let shell: Shell | undefined;
  const printAsync = (text: string): void => {
    if (tty && atPrompt && rl !== undefined) {
      readline.clearLine(io.stdout, 0);
      readline.cursorTo(io.stdout, 0);
      io.stdout.write(text);
      if (shell !== undefined) rl.setPrompt(shell.prompt);
      rl.prompt(true);
    } else {
      io.stdout.write(text);
    }
  };
  const sh = new Shell({ ...shellOptions(args, io), printSessionEvents: true, printAsync });
  shell = sh;
  io.stdout.write(`Connecting to ${args.server}\n`);
  let zk;
  try {
    zk = sh.connect();
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  io.stdout.write(tty ? 'Welcome to zkcli (zk-ts)! Tab completes commands and paths.\n' : 'Welcome to zkcli (zk-ts)!\n');
  if (args.waitForConnection) {
    try {
      await zk.waitForConnected({ timeoutMs: args.timeoutMs });
    } catch (err) {
      io.stderr.write(`Unable to connect to ${args.server}: ${(err as Error).message}\n`);
      await zk.close();
      return 1;
    }
  }
  const names = Shell.commandNames();
  rl = readline.createInterface({
    input: io.input,
    output: tty ? io.stdout : undefined,
    terminal: tty,
    historySize: 1000,
    completer: tty
      ? (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
          complete(line, names, sh.zk).then((r) => callback(null, r), () => callback(null, [[], line]));
        }
      : undefined,
  });
  const prompt = (): void => {
    if (!tty) return;
    rl!.setPrompt(sh.prompt);
    atPrompt = true;
    rl!.prompt();
  };
  prompt();
  for await (const line of rl) {
    atPrompt = false;
    await sh.executeLine(line);
    if (sh.quitRequested) break;
    prompt();
  }
  rl.close();
  const current = sh.zk;
  if (current !== undefined && current.state !== 'CLOSED') await current.close();
  return sh.exitCode;
}
