// Watch commands: addWatch, removewatches (events are printed by the shell's default watcher).

import type { AddWatchModeName, WatcherTypeName } from '@zk/client';
import { CliError } from '../cli-error.js';
import type { Command } from './command.js';

const MODES: readonly AddWatchModeName[] = ['PERSISTENT', 'PERSISTENT_RECURSIVE'];

export const addWatch: Command = {
  name: 'addWatch',
  usage: `[-m mode] path # optional mode is one of [${MODES.join(', ')}] - default is PERSISTENT_RECURSIVE`,
  spec: { values: 'm' },
  minArgs: 2,
  pathArg: 1,
  async run(ctx, { args, has, value }) {
    if (args.length !== 2) throw new CliError(`addWatch ${this.usage}`);
    let mode: AddWatchModeName = 'PERSISTENT_RECURSIVE';
    if (has.has('m')) {
      const m = value.get('m')!.toUpperCase() as AddWatchModeName;
      if (!MODES.includes(m)) throw new CliError(`addWatch ${this.usage}`);
      mode = m;
    }
    const watcher = ctx.defaultWatcher;
    if (watcher === undefined) throw new CliError('no watcher to add');
    await ctx.zk.addWatch(args[1]!, watcher, { mode });
    ctx.out.data({ path: args[1], mode });
  },
};

export const removewatches: Command = {
  name: 'removewatches',
  usage: 'path [-c|-d|-a] [-l]',
  spec: { flags: 'cdal' },
  minArgs: 2,
  pathArg: 1,
  async run({ zk, out }, { args, has }) {
    let type: WatcherTypeName = 'Any';
    if (has.has('c')) type = 'Children';
    else if (has.has('d')) type = 'Data';
    await zk.removeAllWatches(args[1]!, type, { local: has.has('l') });
    out.data({ path: args[1], type, removed: true });
  },
};
