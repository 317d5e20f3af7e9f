import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_SETTINGS, layoutMembers, myidFile, oursArgs, zooCfg, zooKeeperArgs } from '../src/config.js';

const lines = (text: string): string[] => text.trim().split('\n');

describe('zoo.cfg generation', () => {
  const one = layoutMembers(1, '127.0.0.1', [2181, 2888, 3888], (id) => `/tmp/x/server${id}/data`);

  it('writes the shared settings and no server lines for a standalone server', () => {
    const cfg = lines(zooCfg(DEFAULT_BENCH_SETTINGS, one[0]!, one));
    expect(cfg).toContain('tickTime=2000');
    expect(cfg).toContain('dataDir=/tmp/x/server1/data');
    expect(cfg).toContain('clientPort=2181');
    expect(cfg).toContain('clientPortAddress=127.0.0.1');
    expect(cfg).toContain('maxClientCnxns=0');
    expect(cfg).toContain('forceSync=yes');
    expect(cfg).toContain('snapCount=100000');
    expect(cfg).toContain('clientPortListenBacklog=1024');
    expect(cfg.some((l) => l.startsWith('server.'))).toBe(false);
    expect(myidFile(one[0]!, one)).toBeNull();
  });

  it('turns forceSync off when asked', () => {
    expect(lines(zooCfg({ ...DEFAULT_BENCH_SETTINGS, forceSync: false }, one[0]!, one))).toContain('forceSync=no');
  });

  it('lists every server of an ensemble with its peer and client ports, and writes myid', () => {
    const ports = [2181, 2888, 3888, 2182, 2889, 3889, 2183, 2890, 3890];
    const three = layoutMembers(3, '127.0.0.1', ports, (id) => `/d/s${id}`);
    expect(three.map((m) => [m.id, m.clientPort, m.quorumPort, m.electionPort])).toEqual([
      [1, 2181, 2888, 3888],
      [2, 2182, 2889, 3889],
      [3, 2183, 2890, 3890],
    ]);
    const cfg = lines(zooCfg(DEFAULT_BENCH_SETTINGS, three[1]!, three));
    expect(cfg).toContain('clientPort=2182');
    expect(cfg).toContain('dataDir=/d/s2');
    expect(cfg).toContain('standaloneEnabled=false');
    expect(cfg.filter((l) => l.startsWith('server.'))).toEqual([
      'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181',
      'server.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182',
      'server.3=127.0.0.1:2890:3890:participant;127.0.0.1:2183',
    ]);
    expect(myidFile(three[2]!, three)).toBe('3\n');
  });

  it('needs three ports per server', () => {
    expect(() => layoutMembers(2, 'h', [1, 2, 3, 4], () => 'd')).toThrow(/6 ports/);
    expect(() => layoutMembers(0, 'h', [], () => 'd')).toThrow();
  });
});

describe('launch command lines', () => {
  const zk = { heapMb: 1000, classpath: '/cp', logLevel: 'warn', logDir: '/logs' };
  it('starts ZooKeeperServerMain standalone and QuorumPeerMain in an ensemble, with the settings as -D flags', () => {
    const a = zooKeeperArgs(DEFAULT_BENCH_SETTINGS, zk, '/c/zoo.cfg', true);
    expect(a[0]).toBe('-Xmx1000m');
    expect(a).toContain('-Dzookeeper.forceSync=yes');
    expect(a).toContain('-Dzookeeper.snapCount=100000');
    expect(a.slice(-4)).toEqual(['-cp', '/cp', 'org.apache.zookeeper.server.ZooKeeperServerMain', '/c/zoo.cfg']);
    expect(zooKeeperArgs(DEFAULT_BENCH_SETTINGS, zk, '/c/zoo.cfg', false)).toContain('org.apache.zookeeper.server.quorum.QuorumPeerMain');
  });
  it('runs our CLI in the foreground, under --cpu-prof when asked', () => {
    expect(oursArgs({ cliPath: '/s/cli.js', logLevel: 'warn' }, '/c/zoo.cfg')).toEqual(['/s/cli.js', 'start', '/c/zoo.cfg', '--log-level', 'warn', '--log-format', 'json']);
    expect(oursArgs({ cliPath: '/s/cli.js', logLevel: 'warn', cpuProfDir: '/p' }, '/c/zoo.cfg').slice(0, 3)).toEqual(['--cpu-prof', '--cpu-prof-dir=/p', '/s/cli.js']);
  });
});
