// Writing commands: create, set, delete, deleteall.

import { OPEN_ACL_UNSAFE, isZooKeeperError, type CreateModeName, type Op, type ZooKeeperClient } from '@zk/client';
import { parseAcl } from '../acl-parser.js';
import { CliError } from '../cli-error.js';
import { statJson, statLines } from '../format.js';
import type { Command } from './command.js';

const MAX_TTL = 0xffffffffff;

function intValue(text: string, what: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new CliError(`${what} argument must be an int value`);
  const n = Number(text);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1) throw new CliError(`${what} argument must be an int value`);
  return n;
}

export const create: Command = {
  name: 'create',
  usage: '[-s] [-e] [-c] [-t ttl] path [data] [acl]',
  spec: { flags: 'sec', values: 't' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has, value }) {
    const e = has.has('e');
    const s = has.has('s');
    const c = has.has('c');
    const t = has.has('t');
    if (c && (e || s)) throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
    let ttl = 0;
    if (t) {
      const text = value.get('t')!;
      if (!/^[+-]?\d+$/.test(text)) throw new CliError('-t argument must be a long value');
      ttl = Number(text);
    }
    if (t && e) throw new CliError('TTLs cannot be used with Ephemeral znodes');
    if (t && c) throw new CliError('TTLs cannot be used with Container znodes');
    let mode: CreateModeName;
    if (e && s) mode = 'EPHEMERAL_SEQUENTIAL';
    else if (e) mode = 'EPHEMERAL';
    else if (s) mode = t ? 'PERSISTENT_SEQUENTIAL_WITH_TTL' : 'PERSISTENT_SEQUENTIAL';
    else if (c) mode = 'CONTAINER';
    else mode = t ? 'PERSISTENT_WITH_TTL' : 'PERSISTENT';
    if (t && (ttl <= 0 || ttl > MAX_TTL)) throw new CliError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
    const path = args[1]!;
    const data = args.length > 2 ? Buffer.from(args[2]!, 'utf8') : null;
    const acl = args.length > 3 ? parseAcl(args[3]!, (l) => out.errLine(l)) : OPEN_ACL_UNSAFE;
    try {
      const made = await zk.create(path, data, { mode, acl, ...(t ? { ttl } : {}) });
      out.errLine(`Created ${made.path}`);
      out.data({ path: made.path, stat: statJson(made.stat) });
    } catch (err) {
      if (isZooKeeperError(err, 'EPHEMERALONLOCALSESSION')) out.errLine('Unable to create ephemeral node on a local session');
      if (isZooKeeperError(err, 'INVALIDACL')) out.errLine(err.message);
      throw err;
    }
  },
};

export const set: Command = {
  name: 'set',
  usage: '[-s] [-v version] path data',
  spec: { flags: 's', values: 'v' },
  minArgs: 3,
  pathArg: 1,
  async run({ zk, out }, { args, has, value }) {
    const version = has.has('v') ? intValue(value.get('v')!, '-v') : -1;
    const stat = await zk.setData(args[1]!, Buffer.from(args[2]!, 'utf8'), { version });
    if (has.has('s')) for (const l of statLines(stat)) out.line(l);
    out.data({ path: args[1], stat: statJson(stat) });
  },
};

export const del: Command = {
  name: 'delete',
  usage: '[-v version] path',
  spec: { values: 'v' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has, value }) {
    const version = has.has('v') ? intValue(value.get('v')!, '-v') : -1;
    await zk.delete(args[1]!, { version });
    out.data({ path: args[1], deleted: true });
  },
};

/** ZKUtil.listSubTreeBFS. */
async function subtreeBfs(zk: ZooKeeperClient, root: string): Promise<string[]> {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i]!;
    const { children } = await zk.getChildren(node);
    for (const c of children) tree.push(node === '/' ? `/${c}` : `${node}/${c}`);
  }
  return tree;
}

export const deleteall: Command = {
  name: 'deleteall',
  usage: 'path [-b batch size]',
  spec: { values: 'b' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has, value }) {
    const batch = has.has('b') ? intValue(value.get('b')!, '-b') : 1000;
    if (batch <= 0) throw new CliError('-b argument must be an int value');
    const path = args[1]!;
    const tree = await subtreeBfs(zk, path);
    // Leaves first, in multi batches (ZKUtil.deleteInBatch), at most 10 batches in flight.
    let ok = true;
    const inFlight = new Set<Promise<void>>();
    let ops: Op[] = [];
    for (let i = tree.length - 1; i >= 0; i--) {
      ops.push({ type: 'delete', path: tree[i]!, version: -1 });
      if (ops.length === batch || i === 0) {
        if (!ok) break;
        if (inFlight.size >= 10) await Promise.race(inFlight);
        const p: Promise<void> = zk.multi(ops).then(
          () => undefined,
          () => {
            ok = false;
          },
        );
        const tracked = p.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        ops = [];
      }
    }
    await Promise.all(inFlight);
    if (!ok) out.errLine('Failed to delete some node(s) in the subtree!');
    out.data({ path, deleted: ok, nodes: tree.length });
  },
};
