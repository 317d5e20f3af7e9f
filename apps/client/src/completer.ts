// Tab completion for the interactive shell: command names for the first word, znode paths (the
// children of the typed parent) for a word starting with "/" (zkCli.sh's JLineZNodeCompleter).

import type { ZooKeeperClient } from '@zk/client';

export type CompleterResult = [string[], string];

export async function complete(line: string, commands: readonly string[], zk: ZooKeeperClient | undefined): Promise<CompleterResult> {
  const words = line.split(' ');
  const last = words[words.length - 1] ?? '';
  if (words.length === 1) {
    const hits = commands.filter((c) => c.startsWith(last));
    return [hits.map((h) => `${h} `), last];
  }
  if (!last.startsWith('/') || zk === undefined || (zk.state !== 'CONNECTED' && zk.state !== 'CONNECTEDREADONLY')) return [[], last];
  const slash = last.lastIndexOf('/');
  const parent = slash === 0 ? '/' : last.slice(0, slash);
  const prefix = last.slice(slash + 1);
  try {
    const { children } = await zk.getChildren(parent, { timeoutMs: 2000 });
    const base = parent === '/' ? '/' : `${parent}/`;
    const hits = children
      .filter((c) => c.startsWith(prefix))
      .sort()
      .map((c) => base + c);
    return [hits, last];
  } catch {
    return [[], last];
  }
}
