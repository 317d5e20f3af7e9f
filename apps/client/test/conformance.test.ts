// The same script through Apache ZooKeeper's zkCli.sh and through zkcli, against the same
// ZooKeeper 3.8 server: after masking what differs from run to run (zxids, times, session ids),
// stdout and stderr must match line for line.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS, type TcpServer } from './support/servers.js';
import { ensureBuilt, zkcli } from './support/zkcli.js';

const ZKCLI_SH = '/usr/share/zookeeper/bin/zkCli.sh';
const apache = SERVERS.find((s) => s.name === 'zookeeper-3.8')!;

function script(base: string): string {
  return [
    `create ${base}`,
    `create ${base}/a hello`,
    `create ${base}/a x`,
    `create -e ${base}/eph`,
    `create -s ${base}/seq`,
    `create -c ${base}/cont`,
    `create -t 500000 ${base}/ttl`,
    `create -t 5000 -e ${base}/bad`,
    `create -c -s ${base}/bad`,
    `create ${base}/nope/child`,
    `create ${base}/eph/child`,
    `ls ${base}`,
    `ls -s ${base}`,
    `stat ${base}/a`,
    `get ${base}/a`,
    `get -s ${base}/a`,
    `get ${base}/missing`,
    `get ${base}/eph`,
    `set ${base}/a world`,
    `set -s ${base}/a w2`,
    `set -v 0 ${base}/a w3`,
    `getAcl ${base}/a`,
    `getAcl -s ${base}/a`,
    `setAcl ${base}/a world:anyone:r`,
    `getAcl ${base}/a`,
    `set ${base}/a denied`,
    `delete ${base}/missing`,
    `delete ${base}/a`,
    `delete ${base}`,
    `getAllChildrenNumber ${base}`,
    `getEphemerals ${base}`,
    `sync ${base}`,
    'printwatches',
    'history',
    `ls -R ${base}`,
    'addauth digest u:p',
    `create ${base}/secret s auth:u:p:cdrwa`,
    `getAcl ${base}/secret`,
    'whoami',
    'ls',
    'ls x',
    'get',
    `removewatches ${base}`,
    `deleteall ${base}`,
    `ls ${base}`,
    'close',
    'quit',
  ].join('\n') + '\n';
}

/** Masks what legitimately differs between two runs and drops the banners and session events. */
function normalize(text: string, base: string): string[] {
  return text
    .replaceAll(base, '<base>')
    .replace(/0x[0-9a-f]+/g, '0x?')
    .replace(/(ctime|mtime) = .*/g, '$1 = <date>')
    .split('\n')
    .filter((l) => l !== '' && l !== 'WATCHER::')
    .filter((l) => !/^(Connecting to|Welcome to|JLine support|SLF4J|log4j)/.test(l))
    .filter((l) => !/^WatchedEvent state:(SyncConnected|Closed) type:None path:null$/.test(l));
}

function runZkCliSh(server: string, input: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(ZKCLI_SH, ['-server', server], { timeout: 60_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
    child.stdin?.end(input);
  });
}

describe.runIf(apache.available && existsSync(ZKCLI_SH))('zkcli vs zkCli.sh on ZooKeeper 3.8', () => {
  let server: TcpServer;
  beforeAll(async () => {
    ensureBuilt();
    server = await apache.start();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('prints the same stdout and stderr for the same script', async () => {
    const theirs = await runZkCliSh(server.address, script('/conf-java'));
    const ours = await zkcli(['-server', server.address], script('/conf-ts'));
    expect(normalize(ours.stdout, '/conf-ts')).toEqual(normalize(theirs.stdout, '/conf-java'));
    expect(normalize(ours.stderr, '/conf-ts')).toEqual(normalize(theirs.stderr, '/conf-java'));
  }, 60_000);
});
