// ACL and identity commands: getAcl, setAcl, addauth, whoami.

import { ZooKeeperError, type ACL, type ZooKeeperClient } from '@zk/client';
import { parseAcl } from '../acl-parser.js';
import { CliError } from '../cli-error.js';
import { aclJson, aclLines, statJson, statLines } from '../format.js';
import type { Command } from './command.js';

export const getAcl: Command = {
  name: 'getAcl',
  usage: '[-s] path',
  spec: { flags: 's' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has }) {
    const { acl, stat } = await zk.getACL(args[1]!);
    for (const l of aclLines(acl)) out.line(l);
    if (has.has('s')) for (const l of statLines(stat)) out.line(l);
    out.data({ path: args[1], acl: aclJson(acl), stat: statJson(stat) });
  },
};

/** ZKUtil.visitSubTreeDFS order, applying `fn` to each node. */
async function eachInTree(zk: ZooKeeperClient, path: string, fn: (p: string) => Promise<void>): Promise<void> {
  await zk.getData(path);
  await fn(path);
  const walk = async (p: string): Promise<void> => {
    let children: string[];
    try {
      children = (await zk.getChildren(p)).children.sort();
    } catch {
      return;
    }
    const paths = children.map((c) => (p === '/' ? `/${c}` : `${p}/${c}`));
    for (const c of paths) await fn(c);
    for (const c of paths) await walk(c);
  };
  await walk(path);
}

export const setAcl: Command = {
  name: 'setAcl',
  usage: '[-s] [-v version] [-R] path acl',
  spec: { flags: 'sR', values: 'v' },
  minArgs: 3,
  pathArg: 1,
  async run({ zk, out }, { args, has, value }) {
    const path = args[1]!;
    const acl: ACL[] = parseAcl(args[2]!, (l) => out.errLine(l));
    let version = -1;
    if (has.has('v')) {
      const v = value.get('v')!;
      if (!/^[+-]?\d+$/.test(v)) throw new CliError('-v argument must be an int value');
      version = Number(v);
    }
    if (has.has('R')) {
      await eachInTree(zk, path, async (p) => {
        try {
          await zk.setACL(p, acl, { version });
        } catch (err) {
          // zkCli prints the failure and goes on with the rest of the tree.
          out.line(err instanceof ZooKeeperError ? err.message : String(err));
        }
      });
      out.data({ path, recursive: true });
      return;
    }
    const stat = await zk.setACL(path, acl, { version });
    if (has.has('s')) for (const l of statLines(stat)) out.line(l);
    out.data({ path, stat: statJson(stat) });
  },
};

export const addauth: Command = {
  name: 'addauth',
  usage: 'scheme auth',
  spec: {},
  minArgs: 2,
  async run({ zk, out }, { args }) {
    await zk.addAuth(args[1]!, args[2] === undefined ? new Uint8Array(0) : Buffer.from(args[2], 'utf8'));
    out.data({ scheme: args[1], added: true });
  },
};

export const whoami: Command = {
  name: 'whoami',
  usage: '',
  spec: {},
  minArgs: 1,
  async run({ zk, out }) {
    const infos = await zk.whoAmI();
    out.line('Auth scheme: User');
    for (const i of infos) out.line(`${i.authScheme}: ${i.user}`);
    out.data({ identities: infos.map((i) => ({ scheme: i.authScheme, user: i.user })) });
  },
};
