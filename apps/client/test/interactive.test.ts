// The interactive shell through a pseudo-terminal (tmux): prompt, commands, watch events printed
// as they arrive, tab completion, history/redo, close/connect and quit.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS, type TcpServer } from './support/servers.js';
import { TmuxShell, ensureBuilt, tmuxAvailable, zkcli } from './support/zkcli.js';

beforeAll(() => ensureBuilt(), 120_000);

describe.runIf(tmuxAvailable()).each(SERVERS.filter((s) => s.available))('interactive zkcli against $name', (factory) => {
  let server: TcpServer;
  let shell: TmuxShell | undefined;
  let n = 0;

  beforeAll(async () => {
    server = await factory.start();
  }, 60_000);
  afterEach(() => {
    shell?.kill();
    shell = undefined;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs commands at a prompt and prints watch events as they arrive', async () => {
    const base = `/it${process.pid}_${++n}`;
    shell = TmuxShell.start(server.address);
    await shell.waitFor(`[zk: ${server.address}(CONNECTED) 0] `);
    expect(shell.screen()).toContain('WatchedEvent state:SyncConnected type:None path:null');
    shell.type(`create ${base} hello`);
    await shell.waitFor(`Created ${base}`);
    shell.type(`get -w ${base}`);
    await shell.waitFor(`(CONNECTED) 2] `);
    expect(shell.screen()).toMatch(new RegExp(`get -w ${base}\\nhello\\n`));
    // Another client changes the node while the prompt waits for input.
    expect((await zkcli(['-server', server.address, 'set', base, 'changed'])).code).toBe(0);
    await shell.waitFor(`WATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:${base}`);
    expect(shell.screen().trimEnd().split('\n').at(-1)).toBe(`[zk: ${server.address}(CONNECTED) 2]`);
    shell.type(`stat ${base}/none`);
    await shell.waitFor(`Node does not exist: ${base}/none`);
    shell.type('history');
    await shell.waitFor(`2 - stat ${base}/none\n3 - history`);
    shell.type('redo 0');
    await shell.waitFor(`Node already exists: ${base}`);
  });

  it('completes command names and znode paths with Tab', async () => {
    const base = `/tab${process.pid}_${++n}`;
    expect((await zkcli(['-server', server.address, 'create', base])).code).toBe(0);
    expect((await zkcli(['-server', server.address, 'create', `${base}/unique-child`])).code).toBe(0);
    shell = TmuxShell.start(server.address);
    await shell.waitFor('(CONNECTED) 0] ');
    shell.keys('-l', 'getAllC');
    await shell.waitFor('] getAllC');
    shell.keys('Tab');
    await shell.waitFor('] getAllChildrenNumber ');
    shell.keys('-l', `${base}/uni`);
    await shell.waitFor(`${base}/uni`);
    shell.keys('Tab');
    await shell.waitFor(`] getAllChildrenNumber ${base}/unique-child`);
    shell.keys('Enter');
    await shell.waitFor(/unique-child\n0\n/);
  });

  it('close, Not connected, connect again, quit', async () => {
    shell = TmuxShell.start(server.address);
    await shell.waitFor('(CONNECTED) 0] ');
    shell.type('close');
    await shell.waitFor('WatchedEvent state:Closed type:None path:null');
    await shell.waitFor('(CLOSED) 1] ');
    shell.type('ls /');
    await shell.waitFor('Not connected');
    shell.type(`connect ${server.address}`);
    await shell.waitFor('(CONNECTED) 3] ');
    shell.type('ls /zookeeper');
    await shell.waitFor('[config, quota]');
    shell.type('quit');
    const deadline = Date.now() + 10_000;
    while (shell.alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(shell.alive()).toBe(false);
  });
});
