import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';
import { CLIENT_LIBS, clientDefs, sideOf } from '../src/client-bench.js';
import { isStandalone, layoutMembers, myidFile, oursArgs, zooCfg, zooKeeperArgs, DEFAULT_BENCH_SETTINGS } from '../src/config.js';
import { failoverDefs } from '../src/failover.js';
import { longestGap, modeFromSrvr, settledLeader } from '../src/four-letter.js';
import { docSectionKey } from '../src/report.js';
import { startFailureReason } from '../src/servers.js';
import type { RunnerOptions } from '../src/shared.js';
import { SUITES } from '../src/suites.js';

describe('srvr modes', () => {
  it('reads the Mode line and nothing else', () => {
    expect(modeFromSrvr('Zookeeper version: 3.8.4\nLatency min/avg/max: 0/0.2/9\nMode: leader\nNode count: 5\n')).toBe('leader');
    expect(modeFromSrvr('Mode: follower\n')).toBe('follower');
    expect(modeFromSrvr('Mode: standalone\n')).toBe('standalone');
    expect(modeFromSrvr('Mode: looking\n')).toBeNull();
    expect(modeFromSrvr('This ZooKeeper instance is not currently serving requests\n')).toBeNull();
    expect(modeFromSrvr('')).toBeNull();
  });
  it('finds the leader of a settled ensemble only', () => {
    expect(settledLeader(['follower', 'leader', 'follower'])).toBe(1);
    expect(settledLeader(['leader', 'follower'])).toBe(0);
    expect(settledLeader(['follower', 'follower'])).toBe(-1);
    expect(settledLeader(['leader', null])).toBe(-1);
    expect(settledLeader(['leader', 'leader', 'follower'])).toBe(-1);
    expect(settledLeader(['leader', 'observer', 'follower'])).toBe(0);
  });
});

describe('write-gap timeline', () => {
  it('finds the longest empty stretch between acknowledged writes', () => {
    expect(longestGap([0, 0, 3, 1, 0, 2, 0, 0, 0, 4, 0])).toEqual([6, 3]);
    expect(longestGap([5, 5, 5])).toEqual([-1, 0]);
    expect(longestGap([0, 0])).toEqual([-1, 0]);
    // Empty buckets before the first ack or after the last one are not a gap.
    expect(longestGap([0, 0, 0, 1, 1, 0, 0, 0, 0])).toEqual([-1, 0]);
  });
});

describe('start failures', () => {
  it("takes the reason from zk-ts's JSON error line", () => {
    const log =
      '{"time":"t","level":"info","msg":"starting"}\n' +
      '{"time":"t","level":"error","msg":"cannot create the server","err":{"name":"Error","message":"/x/zoo.cfg describes an ensemble (3 server.N entries), but this zk-ts build serves standalone mode only"}}\n';
    expect(startFailureReason(log)).toBe('/x/zoo.cfg describes an ensemble (3 server.N entries), but this zk-ts build serves standalone mode only');
    expect(startFailureReason('{"level":"fatal","msg":"no storage"}\n')).toBe('no storage');
  });
  it('falls back to an error-looking line, then to the last line', () => {
    expect(startFailureReason('[main] INFO start\n[main] ERROR org.apache.zookeeper.server.quorum.QuorumPeerMain - Invalid config, exiting abnormally\n  at x.y(Z.java:1)\n'))
      .toBe('[main] ERROR org.apache.zookeeper.server.quorum.QuorumPeerMain - Invalid config, exiting abnormally');
    expect(startFailureReason('Error: Cannot find module \'/x/cli.js\'\n    at Module._resolveFilename\n')).toBe("Error: Cannot find module '/x/cli.js'");
    expect(startFailureReason('just this\n\n')).toBe('just this');
    expect(startFailureReason('')).toBeNull();
  });
});

describe('ensemble configuration (both systems read the same files)', () => {
  it('writes server.N lines and a myid for each member of a 3-server ensemble', () => {
    const specs = layoutMembers(3, '127.0.0.1', [11, 12, 13, 21, 22, 23, 31, 32, 33], (id) => `/d/${id}`);
    expect(isStandalone(specs)).toBe(false);
    const cfg = zooCfg(DEFAULT_BENCH_SETTINGS, specs[1]!, specs);
    expect(cfg).toContain('clientPort=21\n');
    expect(cfg).toContain('dataDir=/d/2\n');
    expect(cfg).toContain('standaloneEnabled=false\n');
    expect(cfg).toContain('server.1=127.0.0.1:12:13:participant;127.0.0.1:11\n');
    expect(cfg).toContain('server.3=127.0.0.1:32:33:participant;127.0.0.1:31\n');
    expect(myidFile(specs[2]!, specs)).toBe('3\n');
    // ZooKeeper runs QuorumPeerMain on it; ours is started on the very same file.
    expect(zooKeeperArgs(DEFAULT_BENCH_SETTINGS, { heapMb: 1000, classpath: 'cp', logLevel: 'warn', logDir: '/l' }, '/d/zoo.cfg', false)).toContain('org.apache.zookeeper.server.quorum.QuorumPeerMain');
    expect(oursArgs({ cliPath: '/c/cli.js', logLevel: 'warn' }, '/d/zoo.cfg').slice(0, 3)).toEqual(['/c/cli.js', 'start', '/d/zoo.cfg']);
  });
  it('puts ensemble runs into a doc section of their own', () => {
    expect(docSectionKey('quick', 1)).toBe('quick');
    expect(docSectionKey('full', 3)).toBe('full-3servers');
  });
});

function runnerOpts(servers: number): RunnerOptions {
  const a = parseArgs(['--servers', String(servers)]);
  return {
    suite: SUITES.quick, systems: ['zookeeper', 'ours'], pool: null as never, settings: DEFAULT_BENCH_SETTINGS, servers: a.servers, host: '127.0.0.1',
    baseDir: '/tmp', zkHeapMb: 1000, logLevel: 'warn', keep: false, valueSize: 100, keys: 1000, parts: new Set(), clientDepth: 64, log: () => undefined,
  };
}

describe('client benchmark and failover figures', () => {
  it('compares node-zookeeper-client (baseline side) with @zk/client (ours side), A B', () => {
    expect(CLIENT_LIBS).toEqual(['nzc', 'zk-client']);
    expect(sideOf('nzc')).toBe('zookeeper');
    expect(sideOf('zk-client')).toBe('ours');
    const defs = clientDefs(runnerOpts(1));
    const tp = defs.find((d) => d.id === 'client.ours.getData.tp')!;
    expect(tp.target).toEqual({ op: '>=', ratio: 3 });
    expect(tp.columns?.ratio).toBe('ours/nzc');
    expect(defs.find((d) => d.id === 'client.zookeeper.setData.p99')!.target).toEqual({ op: '<=', ratio: 1 });
    expect(defs.some((d) => d.id === 'client.ours.create.cpu')).toBe(true);
    expect(SUITES.full.client.repetitions).toBeGreaterThanOrEqual(3);
    expect(SUITES.quick.client.repetitions).toBe(1);
  });
  it('reports failover as not measured without an ensemble, and targets the write time with one', () => {
    expect(failoverDefs(runnerOpts(1)).every((d) => d.notMeasured !== undefined)).toBe(true);
    const defs = failoverDefs(runnerOpts(3));
    expect(defs.every((d) => d.notMeasured === undefined)).toBe(true);
    expect(defs.find((d) => d.id === 'failover.write')!.target).toEqual({ op: '<=', ratio: 0.5 });
  });
});
