import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensembleCfgLines, ensembleRoleEvents, parseSrvrMode, serverCommand, startEnsemble, syncedBy, zkTsAvailable,
  zooKeeperAvailable, zooKeeperSyncEvents, type RunningEnsemble, type ServerKind,
} from '../src/index.js';

describe('ensemble configuration and parsing', () => {
  const members = [
    { id: 1, type: 'participant' as const, host: '127.0.0.1', clientPort: 11, quorumPort: 12, electionPort: 13 },
    { id: 2, type: 'participant' as const, host: '127.0.0.1', clientPort: 21, quorumPort: 22, electionPort: 23 },
    { id: 3, type: 'observer' as const, host: '127.0.0.1', clientPort: 31, quorumPort: 32, electionPort: 33 },
  ];

  it('writes server.N lines with the client address, the limits, and peerType for an observer', () => {
    const cfg = ensembleCfgLines({}, '/d', members[0]!, members, { initLimit: 20, syncLimit: 10 });
    expect(cfg).toEqual(expect.arrayContaining([
      'clientPort=11', 'clientPortAddress=127.0.0.1', 'dataDir=/d', 'initLimit=20', 'syncLimit=10',
      'server.1=127.0.0.1:12:13:participant;127.0.0.1:11',
      'server.2=127.0.0.1:22:23:participant;127.0.0.1:21',
      'server.3=127.0.0.1:32:33:observer;127.0.0.1:31',
    ]));
    expect(cfg).not.toContain('peerType=observer');
    expect(ensembleCfgLines({}, '/d', members[2]!, members, { initLimit: 20, syncLimit: 10 })).toContain('peerType=observer');
  });

  it('runs ZooKeeper members with QuorumPeerMain and zk-ts members with JSON logs', () => {
    const zk = serverCommand('zookeeper', {}, '/t/zoo.cfg', '/t', 'ensemble', 'info');
    expect(zk.args.slice(-2)).toEqual(['org.apache.zookeeper.server.quorum.QuorumPeerMain', '/t/zoo.cfg']);
    expect(zk.args).toContain('-Dorg.slf4j.simpleLogger.defaultLogLevel=info');
    expect(serverCommand('zkts', {}, '/t/zoo.cfg', '/t', 'ensemble').args.slice(-4)).toEqual(['start', '/t/zoo.cfg', '--log-format', 'json']);
  });

  it('reads the mode from srvr', () => {
    expect(parseSrvrMode('Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0.0/0\nMode: follower\nNode count: 5\n')).toBe('follower');
    expect(parseSrvrMode('Mode: leader\n')).toBe('leader');
    expect(parseSrvrMode('This ZooKeeper instance is not currently serving requests\n')).toBe('not serving');
    expect(parseSrvrMode('')).toBe('unresponsive');
  });

  it('reads how a learner synced from zk-ts role records and ZooKeeper log lines', () => {
    const log = [
      'not json',
      JSON.stringify({ level: 'info', msg: 'serving clients', mode: 'looking' }),
      JSON.stringify({ level: 'info', msg: 'ensemble role', role: 'looking', state: 'FOLLOWING', leader: 2, epoch: 2 }),
      JSON.stringify({ level: 'info', msg: 'ensemble role', role: 'follower', state: 'FOLLOWING', leader: 2, epoch: 2, reason: 'synced with leader 2 by TRUNC' }),
    ].join('\n');
    const evs = ensembleRoleEvents(log);
    expect(evs.map((e) => e.role)).toEqual(['looking', 'follower']);
    expect(syncedBy(evs[0]!)).toBeNull();
    expect(syncedBy(evs[1]!)).toEqual({ leader: 2, how: 'TRUNC' });
    const zk = [
      '[QuorumPeer[myid=1](plain=127.0.0.1:1)(secure=disabled)] INFO org.apache.zookeeper.server.quorum.Learner - Getting a diff from the leader 0x100000090',
      '[QuorumPeer[myid=1](plain=127.0.0.1:1)(secure=disabled)] WARN org.apache.zookeeper.server.quorum.Learner - Truncating log to get in sync with the leader 0x100000071',
      '[QuorumPeer[myid=1](plain=127.0.0.1:1)(secure=disabled)] INFO org.apache.zookeeper.server.quorum.Learner - Getting a snapshot from leader 0x10000039c',
    ].join('\n');
    expect(zooKeeperSyncEvents(zk).map((e) => [e.how, e.zxid])).toEqual([['DIFF', '0x100000090'], ['TRUNC', '0x100000071'], ['SNAP', '0x10000039c']]);
  });
});

let ens: RunningEnsemble | undefined;
afterEach(async () => {
  await ens?.stop();
  ens = undefined;
});

async function lifecycle(kind: ServerKind): Promise<void> {
  ens = await startEnsemble(kind, { servers: 3, observers: 1 });
  expect(ens.connectString.split(',')).toHaveLength(4);
  expect([...(await ens.modes()).values()].sort()).toEqual(['follower', 'follower', 'leader', 'observer']);
  for (const m of ens.members) {
    expect(readFileSync(join(m.dataDir, 'myid'), 'utf8').trim()).toBe(String(m.id));
    expect(m.pid).toBeGreaterThan(0);
  }
  const leader = await ens.waitForLeader();
  expect(leader.type).toBe('participant');

  // kill -9: a new leader among the others; the old one comes back as a follower.
  await leader.kill();
  expect(leader.alive()).toBe(false);
  expect(await leader.mode()).toBe('down');
  const next = await ens.waitForLeader();
  expect(next.id).not.toBe(leader.id);
  await leader.restart();
  expect(await leader.mode()).toBe('follower');

  // SIGSTOP / SIGCONT: a paused member does not answer.
  const f = ens.members.find((m) => m.type === 'participant' && m.id !== next.id)!;
  await f.kill('SIGSTOP');
  expect(await f.mode()).toBe('unresponsive');
  expect(f.alive()).toBe(true);
  await f.kill('SIGCONT');
  expect(await f.waitServing()).toBe('follower');

  const root = ens.root;
  await ens.stop();
  expect(existsSync(root)).toBe(false);
  for (const m of ens.members) expect(m.alive()).toBe(false);
}

describe.skipIf(!zkTsAvailable())('startEnsemble (zk-ts)', () => {
  it('starts 3 servers and an observer, survives a leader kill, pauses a member, stops', async () => {
    await lifecycle('zkts');
  });
});

describe.skipIf(!zooKeeperAvailable())('startEnsemble (Apache ZooKeeper)', () => {
  it('starts 3 servers and an observer, survives a leader kill, pauses a member, stops', async () => {
    await lifecycle('zookeeper');
  });
});
