// Drive Apache ZooKeeper's own CLI (zkCli.sh) non-interactively: one JVM, one session, commands
// fed on stdin (JLine is off when stdin is not a terminal), each followed by `version` whose
// "ZooKeeper CLI version:" line separates the outputs.

import { existsSync } from 'node:fs';
import { run } from './proc.js';

export const ZKCLI = process.env['ZKCLI'] ?? '/usr/share/zookeeper/bin/zkCli.sh';

export function zkCliAvailable(): boolean {
  return existsSync(ZKCLI);
}

const NOISE = [
  /^SLF4J: /,
  /^Connecting to /,
  /^Welcome to ZooKeeper!$/,
  /^JLine support is disabled$/,
  /^WATCHER::$/,
  /^WatchedEvent state:(SyncConnected|Closed) type:None path:null$/,
  /^\s*$/,
];

export interface CliRun {
  /** Output of each command, noise lines removed. */
  outputs: string[];
  /** What was printed after the last command's separator (late watch events). */
  tail: string;
  /** Everything printed, for failure messages. */
  raw: string;
}

export async function zkCli(server: string, commands: string[], timeoutMs = 60_000): Promise<CliRun> {
  // Two round trips after the last command give its watch events time to be printed by the
  // CLI's event thread before `quit`; their output belongs to no command.
  const input = commands.map((c) => `${c}\nversion\n`).join('') + 'sync /\nls /\nquit\n';
  const r = await run(ZKCLI, ['-server', server], { input, timeoutMs, env: { ...process.env, JVMFLAGS: '-Xmx128m -XX:TieredStopAtLevel=1' } });
  if (r.timedOut) throw new Error(`zkCli.sh timed out; output so far:\n${r.output}`);
  return { outputs: splitCliOutput(r.output, commands.length), tail: splitCliOutput(r.output, commands.length + 1)[commands.length] ?? '', raw: r.output };
}

/** Cut a session's output at each `version` line into one chunk per command, noise removed. */
export function splitCliOutput(raw: string, count: number): string[] {
  const parts = raw.split(/^ZooKeeper CLI version: .*$/m);
  return parts.slice(0, count).map((p) =>
    p
      .split('\n')
      .filter((l) => !NOISE.some((n) => n.test(l)))
      .join('\n'),
  );
}
