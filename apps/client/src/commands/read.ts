// Reading commands: ls, get, stat, getAllChildrenNumber, getEphemerals, sync, config.

import type { ZooKeeperClient } from '@zk/client';
import { CliError } from '../cli-error.js';
import { javaList, statJson, statLines } from '../format.js';
import type { Command } from './command.js';

/** ZKUtil.visitSubTreeDFS: the node, then its sorted children, then each child's subtree. */
async function visitDfs(zk: ZooKeeperClient, path: string, watch: boolean, visit: (p: string) => void): Promise<void> {
  await zk.getData(path, { watch });
  visit(path);
  const walk = async (p: string): Promise<void> => {
    let children: string[];
    try {
      children = (await zk.getChildren(p, { watch })).children.sort();
    } catch (err) {
      if ((err as { codeName?: string }).codeName === 'NONODE') return;
      throw err;
    }
    const paths = children.map((c) => (p === '/' ? `/${c}` : `${p}/${c}`));
    for (const c of paths) visit(c);
    for (const c of paths) await walk(c);
  };
  await walk(path);
}

export const ls: Command = {
  name: 'ls',
  usage: '[-s] [-w] [-R] path',
  spec: { flags: '?swR' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has }) {
    const path = args[1]!;
    const watch = has.has('w');
    if (has.has('R')) {
      const all: string[] = [];
      await visitDfs(zk, path, watch, (p) => {
        all.push(p);
        out.line(p);
      });
      out.data({ path, paths: all });
      return;
    }
    const { children, stat } = await zk.getChildren(path, { watch });
    children.sort();
    out.line(javaList(children));
    if (has.has('s')) for (const l of statLines(stat)) out.line(l);
    out.data(has.has('s') ? { path, children, stat: statJson(stat) } : { path, children });
  },
};

export const get: Command = {
  name: 'get',
  usage: '[-s] [-w] path',
  spec: { flags: 'sw' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has }) {
    const path = args[1]!;
    const { data, stat } = await zk.getData(path, { watch: has.has('w') });
    out.line(data === null ? 'null' : data.toString('utf8'));
    if (has.has('s')) for (const l of statLines(stat)) out.line(l);
    out.data({ path, data: data === null ? null : data.toString('utf8'), stat: statJson(stat) });
  },
};

export const stat: Command = {
  name: 'stat',
  usage: '[-w] path',
  spec: { flags: 'w' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has }) {
    const path = args[1]!;
    const s = await zk.exists(path, { watch: has.has('w') });
    if (s === null) throw new CliError(`Node does not exist: ${path}`);
    for (const l of statLines(s)) out.line(l);
    out.data({ path, stat: statJson(s) });
  },
};

export const getAllChildrenNumber: Command = {
  name: 'getAllChildrenNumber',
  usage: 'path',
  spec: {},
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args }) {
    const n = await zk.getAllChildrenNumber(args[1]!);
    out.line(String(n));
    out.data({ path: args[1], count: n });
  },
};

export const getEphemerals: Command = {
  name: 'getEphemerals',
  usage: 'path',
  spec: {},
  minArgs: 1,
  pathArg: 1,
  async run({ zk, out }, { args }) {
    const list = await zk.getEphemerals(args[1] ?? '/');
    out.line(javaList(list));
    out.data({ ephemerals: list });
  },
};

export const sync: Command = {
  name: 'sync',
  usage: 'path',
  spec: {},
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args }) {
    await zk.sync(args[1]!, { timeoutMs: 30_000 });
    out.line('Sync is OK');
    out.data({ path: args[1], synced: true });
  },
};

/** ConfigUtils.getClientConfigStr: "<version> <client connect string>". */
function clientConfig(config: string): string {
  let version = '';
  const hosts: string[] = [];
  for (const line of config.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'version') version = value;
    else if (key.startsWith('server.')) {
      const semi = value.indexOf(';');
      if (semi < 0) continue;
      const client = value.slice(semi + 1);
      const host = value.split(':')[0]!;
      hosts.push(client.includes(':') ? client : `${host}:${client}`);
    }
  }
  return `${version} ${hosts.join(',')}`;
}

export const config: Command = {
  name: 'config',
  usage: '[-c] [-w] [-s]',
  spec: { flags: 'cws' },
  minArgs: 1,
  async run({ zk, out }, { has }) {
    const { data, stat } = await zk.getConfig({ watch: has.has('w') });
    const text = data === null ? 'null' : data.toString('utf8');
    out.line(has.has('c') ? clientConfig(text) : text);
    if (has.has('s')) for (const l of statLines(stat)) out.line(l);
    out.data({ config: text, stat: statJson(stat) });
  },
};
