import { describe, expect, it } from 'vitest';
import {
  ConfigError, DEFAULT_CONFIG, EMBEDDED_DEFAULT_4LW_WHITELIST, isConfigError, parseZooCfg,
  type ParseZooCfgOptions,
} from '../src/config/index.js';

const MIN = 'dataDir=/var/lib/zk\nclientPort=2181\n';
const parse = (text: string, options: ParseZooCfgOptions = {}) =>
  parseZooCfg(text, { baseDir: '/base', file: 'zoo.cfg', ...options });
const cfg = (extra: string, options: ParseZooCfgOptions = {}) => parse(MIN + extra, options).config;
const warningsOf = (extra: string, options: ParseZooCfgOptions = {}) => parse(MIN + extra, options).warnings;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
const parseError = (text: string, options: ParseZooCfgOptions = {}) => errorOf(() => parse(text, options));

describe('parseZooCfg: defaults', () => {
  it('gives ZooKeeper 3.8 defaults for a minimal file', () => {
    const { config, warnings } = parse(MIN);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      configPath: '/base/zoo.cfg',
      tickTime: 3000, // ZooKeeperServer.DEFAULT_TICK_TIME when the key is absent
      dataDir: '/var/lib/zk',
      dataLogDir: '/var/lib/zk',
      clientPort: 2181,
      clientPortAddress: '0.0.0.0',
      maxClientCnxns: 60,
      clientPortListenBacklog: -1,
      minSessionTimeout: 6000,
      maxSessionTimeout: 60000,
      initLimit: 0,
      syncLimit: 0,
      electionAlg: 3,
      servers: [],
      peerType: 'participant',
      distributed: false,
      standaloneEnabled: true,
      reconfigEnabled: false,
      quorumListenOnAllIPs: false,
      electionPortBindRetry: 3,
      leaderServes: true,
      syncEnabled: true,
      localSessionsEnabled: false,
      localSessionsUpgradingEnabled: false,
      fourLetterWordWhitelist: ['srvr'],
      snapCount: 100000,
      preAllocSizeKb: 65536,
      forceSync: true,
      autopurge: { snapRetainCount: 3, purgeIntervalHours: 0 },
      globalOutstandingLimit: 1000,
      juteMaxBuffer: 0xfffff,
      extendedTypesEnabled: false,
      readOnlyModeEnabled: false,
      enforceQuota: false,
      digestEnabled: true,
      skipACL: false,
      admin: { enableServer: true, serverAddress: '0.0.0.0', serverPort: 8080 },
      metricsProvider: { properties: {} },
    });
    expect(config.serverId).toBeUndefined();
    expect(config.secureClientPort).toBeUndefined();
    expect(config.superDigest).toBeUndefined();
  });

  it('derives session timeouts from tickTime (2x and 20x)', () => {
    const c = cfg('tickTime=2000');
    expect([c.minSessionTimeout, c.maxSessionTimeout]).toEqual([4000, 40000]);
    const d = cfg('tickTime=2000\nminSessionTimeout=-1\nmaxSessionTimeout=-1');
    expect([d.minSessionTimeout, d.maxSessionTimeout]).toEqual([4000, 40000]);
  });

  it('parses zoo_sample.cfg as shipped', () => {
    const sample = [
      '# The number of milliseconds of each tick', 'tickTime=2000', 'initLimit=10', 'syncLimit=5',
      'dataDir=/tmp/zookeeper', 'clientPort=2181', '#maxClientCnxns=60', '#autopurge.snapRetainCount=3',
      '#autopurge.purgeInterval=1', '#metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
    ].join('\n');
    const { config, warnings } = parse(sample);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({ tickTime: 2000, initLimit: 10, syncLimit: 5, dataDir: '/tmp/zookeeper', clientPort: 2181 });
  });

  it('DEFAULT_CONFIG: 127.0.0.1:2181, ./data, tickTime 2000, a wider 4lw whitelist, frozen', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      clientPortAddress: '127.0.0.1', clientPort: 2181, dataDir: './data', dataLogDir: './data',
      tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 40000, distributed: false, servers: [],
    });
    expect([...DEFAULT_CONFIG.fourLetterWordWhitelist].sort()).toEqual([...EMBEDDED_DEFAULT_4LW_WHITELIST].sort());
    expect(DEFAULT_CONFIG.fourLetterWordWhitelist).toEqual(
      ['conf', 'cons', 'envi', 'isro', 'mntr', 'ruok', 'srvr', 'stat', 'wchs'],
    );
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.autopurge)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.fourLetterWordWhitelist)).toBe(true);
    expect({ ...DEFAULT_CONFIG, clientPort: 0 }.clientPort).toBe(0);
  });
});

describe('parseZooCfg: every key', () => {
  it('basics', () => {
    const c = cfg([
      'tickTime=500', 'dataLogDir=/fast/log', 'clientPortAddress=10.0.0.5', 'maxClientCnxns=0',
      'clientPortListenBacklog=128', 'minSessionTimeout=1000', 'maxSessionTimeout=90000',
    ].join('\n'));
    expect(c).toMatchObject({
      tickTime: 500, dataLogDir: '/fast/log', clientPortAddress: '10.0.0.5', maxClientCnxns: 0,
      clientPortListenBacklog: 128, minSessionTimeout: 1000, maxSessionTimeout: 90000,
    });
  });

  it('clientPortAddress in IPv6 brackets loses the brackets', () => {
    expect(cfg('clientPortAddress=[::1]').clientPortAddress).toBe('::1');
    expect(cfg('clientPortAddress=::').clientPortAddress).toBe('::');
  });

  it('storage and limits', () => {
    const c = cfg([
      'snapCount=5000', 'preAllocSize=1024', 'forceSync=no', 'autopurge.snapRetainCount=10',
      'autopurge.purgeInterval=24', 'globalOutstandingLimit=2000',
    ].join('\n'));
    expect(c).toMatchObject({
      snapCount: 5000, preAllocSizeKb: 1024, forceSync: false,
      autopurge: { snapRetainCount: 10, purgeIntervalHours: 24 }, globalOutstandingLimit: 2000,
    });
  });

  it('yes/no keys accept yes, no, true, false in any case', () => {
    expect(cfg('forceSync=YES').forceSync).toBe(true);
    expect(cfg('forceSync=False').forceSync).toBe(false);
    expect(cfg('leaderServes=no').leaderServes).toBe(false);
    expect(cfg('skipACL=yes').skipACL).toBe(true);
    expect(cfg('skipACL=no').skipACL).toBe(false);
  });

  it('boolean keys accept true/false in any case', () => {
    const c = cfg([
      'standaloneEnabled=TRUE', 'reconfigEnabled=true', 'localSessionsEnabled=true',
      'localSessionsUpgradingEnabled=True', 'quorumListenOnAllIPs=true', 'syncEnabled=false',
      'extendedTypesEnabled=true', 'readonlymode.enabled=true', 'enforceQuota=true', 'digest.enabled=false',
      'multiAddress.enabled=true',
    ].join('\n'));
    expect(c).toMatchObject({
      standaloneEnabled: true, reconfigEnabled: true, localSessionsEnabled: true,
      localSessionsUpgradingEnabled: true, quorumListenOnAllIPs: true, syncEnabled: false,
      extendedTypesEnabled: true, readOnlyModeEnabled: true, enforceQuota: true, digestEnabled: false,
      multiAddressEnabled: true,
    });
  });

  it('ensemble timing keys', () => {
    const c = cfg('initLimit=10\nsyncLimit=5\nelectionAlg=3\nelectionPortBindRetry=0\nobserverMasterPort=2191');
    expect(c).toMatchObject({ initLimit: 10, syncLimit: 5, connectToLearnerMasterLimit: 10, electionPortBindRetry: 0, observerMasterPort: 2191 });
    expect(cfg('initLimit=10\nconnectToLearnerMasterLimit=3').connectToLearnerMasterLimit).toBe(3);
  });

  it('peerType', () => {
    expect(cfg('peerType=observer').peerType).toBe('observer');
    expect(cfg('peerType=Participant').peerType).toBe('participant');
  });

  it('jute.maxbuffer: decimal or 0x hex, with or without the zookeeper. prefix', () => {
    expect(cfg('jute.maxbuffer=4194304').juteMaxBuffer).toBe(4194304);
    expect(cfg('jute.maxbuffer=0x3fffff').juteMaxBuffer).toBe(0x3fffff);
    expect(cfg('zookeeper.jute.maxbuffer=2097152').juteMaxBuffer).toBe(2097152);
  });

  it('system-property keys are accepted with the zookeeper. prefix', () => {
    const c = cfg([
      'zookeeper.extendedTypesEnabled=true', 'zookeeper.snapCount=10', 'zookeeper.4lw.commands.whitelist=stat',
      'zookeeper.skipACL=yes', 'zookeeper.enforceQuota=true', 'zookeeper.digest.enabled=false',
      'zookeeper.readonlymode.enabled=true', 'zookeeper.DigestAuthenticationProvider.superDigest=super:abc=',
      'zookeeper.forceSync=no', 'zookeeper.preAllocSize=16', 'zookeeper.globalOutstandingLimit=7',
      'zookeeper.electionPortBindRetry=9', 'zookeeper.leaderServes=no',
    ].join('\n'));
    expect(c).toMatchObject({
      extendedTypesEnabled: true, snapCount: 10, skipACL: true, enforceQuota: true, digestEnabled: false,
      readOnlyModeEnabled: true, superDigest: 'super:abc=', forceSync: false, preAllocSizeKb: 16,
      globalOutstandingLimit: 7, electionPortBindRetry: 9, leaderServes: false,
      fourLetterWordWhitelist: ['isro', 'srvr', 'stat'],
    });
  });

  it('DigestAuthenticationProvider.superDigest', () => {
    expect(cfg('DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=').superDigest)
      .toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
    const e = errorOf(() => cfg('DigestAuthenticationProvider.superDigest=nocolon'));
    expect(e.key).toBe('DigestAuthenticationProvider.superDigest');
    expect(e.message).toMatch(/super:<base64 digest>/);
  });

  it('secureClientPort is parsed, with a warning that TLS is not served', () => {
    const { config, warnings } = parse(MIN + 'secureClientPort=2281\nsecureClientPortAddress=10.0.0.1');
    expect(config.secureClientPort).toBe(2281);
    expect(config.secureClientPortAddress).toBe('10.0.0.1');
    expect(warnings.join('\n')).toMatch(/secureClientPort=2281 ignored: zk-ts has no TLS/);
  });

  it('admin.* is parsed with one warning that no AdminServer runs', () => {
    const { config, warnings } = parse(MIN + 'admin.serverPort=9090\nadmin.serverAddress=127.0.0.1\nadmin.enableServer=true');
    expect(config.admin).toEqual({ enableServer: true, serverAddress: '127.0.0.1', serverPort: 9090 });
    expect(warnings.filter((w) => w.includes('AdminServer'))).toHaveLength(1);
    expect(warnings[0]).toMatch(/127\.0\.0\.1:9090/);
  });

  it('admin.enableServer=false is quiet', () => {
    const { config, warnings } = parse(MIN + 'admin.enableServer=false\nadmin.serverPort=9090');
    expect(config.admin.enableServer).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('metricsProvider.* is collected with one warning', () => {
    const { config, warnings } = parse(MIN + [
      'metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
      'metricsProvider.httpPort=7000', 'metricsProvider.exportJvmInfo=true',
    ].join('\n'));
    expect(config.metricsProvider).toEqual({
      className: 'org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
      properties: { httpPort: '7000', exportJvmInfo: 'true' },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/metricsProvider\..*mntr/);
  });

  it('relative paths resolve against baseDir with a warning unless written ./', () => {
    const r = parse('dataDir=data\ndataLogDir=./log\nclientPort=2181', { baseDir: '/srv/zk' });
    expect(r.config.dataDir).toBe('/srv/zk/data');
    expect(r.config.dataLogDir).toBe('/srv/zk/log');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/dataDir=data is a relative path.*\/srv\/zk/);
  });

  it('the last of duplicate keys wins, with a warning naming both lines', () => {
    const r = parse(MIN + 'tickTime=2000\ntickTime=1000');
    expect(r.config.tickTime).toBe(1000);
    expect(r.warnings[0]).toMatch(/tickTime is set more than once \(line 3 and line 4\)/);
    expect(parse(MIN + 'tickTime=2000\ntickTime=2000').warnings).toEqual([]);
  });

  it('both spellings of one key: the later wins, with a warning', () => {
    const r = parse(MIN + 'extendedTypesEnabled=false\nzookeeper.extendedTypesEnabled=true');
    expect(r.config.extendedTypesEnabled).toBe(true);
    expect(r.warnings[0]).toMatch(/extendedTypesEnabled is set both as extendedTypesEnabled and as zookeeper\.extendedTypesEnabled/);
  });
});

describe('parseZooCfg: four-letter-word whitelist', () => {
  it('defaults to srvr only, as ZooKeeper 3.8', () => {
    expect(cfg('').fourLetterWordWhitelist).toEqual(['srvr']);
  });
  it('splits on commas and blanks, always adds srvr, sorts', () => {
    expect(cfg('4lw.commands.whitelist=stat, ruok conf,,mntr').fourLetterWordWhitelist)
      .toEqual(['conf', 'mntr', 'ruok', 'srvr', 'stat']);
  });
  it('* enables every word', () => {
    expect(cfg('4lw.commands.whitelist=*').fourLetterWordWhitelist).toEqual([
      'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'hash', 'isro', 'mntr',
      'ruok', 'srst', 'srvr', 'stat', 'stmk', 'wchc', 'wchp', 'wchs',
    ]);
  });
  it('adds isro when read-only mode is on', () => {
    expect(cfg('4lw.commands.whitelist=stat\nreadonlymode.enabled=true').fourLetterWordWhitelist)
      .toEqual(['isro', 'srvr', 'stat']);
  });
  it('warns about words it does not know, naming them', () => {
    const r = parse(MIN + '4lw.commands.whitelist=stat, foo, STAT');
    expect(r.config.fourLetterWordWhitelist).toEqual(['srvr', 'stat']);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/"foo".*not a four-letter word/);
    expect(r.warnings[1]).toMatch(/"STAT"/);
  });
});

describe('parseZooCfg: values ZooKeeper clamps (warnings)', () => {
  it('autopurge.snapRetainCount below 3 becomes 3', () => {
    const r = parse(MIN + 'autopurge.snapRetainCount=1');
    expect(r.config.autopurge.snapRetainCount).toBe(3);
    expect(r.warnings[0]).toMatch(/autopurge\.snapRetainCount=1 is below the minimum 3/);
  });
  it('snapCount below 2 becomes 2', () => {
    const r = parse(MIN + 'snapCount=1');
    expect(r.config.snapCount).toBe(2);
    expect(r.warnings[0]).toMatch(/snapCount=1/);
  });
  it('negative electionPortBindRetry falls back to 3', () => {
    const r = parse(MIN + 'electionPortBindRetry=-1');
    expect(r.config.electionPortBindRetry).toBe(3);
    expect(r.warnings[0]).toMatch(/electionPortBindRetry=-1/);
  });
  it('unsafe settings are called out', () => {
    expect(warningsOf('forceSync=no')[0]).toMatch(/forceSync=no/);
    expect(warningsOf('skipACL=yes')[0]).toMatch(/skipACL=yes/);
  });
});

describe('parseZooCfg: unknown and unsupported keys', () => {
  it('warns about an unknown key, naming it and its line', () => {
    const r = parse(MIN + 'tikcTime=2000');
    expect(r.warnings).toEqual([
      'unknown key tikcTime ignored (ZooKeeper would pass it on as the system property zookeeper.tikcTime) (zoo.cfg line 3)',
    ]);
  });
  it('says when a known ZooKeeper option is not supported', () => {
    const r = parse(MIN + 'sslQuorum=true\nssl.keyStore.location=/k\nzookeeper.commitLogCount=500\nmaxCnxns=10');
    expect(r.warnings).toHaveLength(4);
    for (const w of r.warnings) expect(w).toMatch(/ZooKeeper option zk-ts does not support/);
    expect(r.warnings[0]).toMatch(/^sslQuorum /);
  });
  it('warns about a line with an empty key', () => {
    expect(warningsOf('=oops')).toEqual(['a line with an empty key (value "oops") ignored (zoo.cfg line 3)']);
  });
  it('suggests the plain key for zookeeper.<direct key>', () => {
    expect(warningsOf('zookeeper.tickTime=2000')[0]).toMatch(/zookeeper\.tickTime.*did you mean tickTime\?/);
  });
  it('rejects hierarchical quorums', () => {
    const e = parseError(MIN + 'group.1=1:2:3');
    expect(e.key).toBe('group.1');
    expect(e.message).toMatch(/hierarchical quorums/);
  });
});

describe('parseZooCfg: errors name the key, the value and what is expected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['tickTime=2s', 'tickTime', /tickTime: invalid value \(got "2s"\) at zoo\.cfg line 3; expected a positive integer \(milliseconds\)/],
    ['tickTime=0', 'tickTime', /positive integer/],
    ['tickTime=-5', 'tickTime', /positive integer/],
    ['tickTime=99999999999', 'tickTime', /got "99999999999"/],
    ['tickTime=1.5', 'tickTime', /got "1\.5"/],
    ['tickTime=0x10', 'tickTime', /got "0x10"/],
    ['maxClientCnxns=-1', 'maxClientCnxns', /0 = no limit/],
    ['minSessionTimeout=-2', 'minSessionTimeout', /-1 \(derive from tickTime\)/],
    ['maxSessionTimeout=abc', 'maxSessionTimeout', /got "abc"/],
    ['initLimit=ten', 'initLimit', /ticks/],
    ['syncLimit=-1', 'syncLimit', /ticks/],
    ['electionAlg=1', 'electionAlg', /only one since ZooKeeper 3\.6/],
    ['peerType=voter', 'peerType', /"participant" or "observer"/],
    ['standaloneEnabled=yes', 'standaloneEnabled', /"true" or "false"/],
    ['reconfigEnabled=1', 'reconfigEnabled', /"true" or "false"/],
    ['extendedTypesEnabled=on', 'extendedTypesEnabled', /"true" or "false"/],
    ['zookeeper.extendedTypesEnabled=on', 'zookeeper.extendedTypesEnabled', /"true" or "false"/],
    ['readonlymode.enabled=yes', 'readonlymode.enabled', /"true" or "false"/],
    ['enforceQuota=maybe', 'enforceQuota', /"true" or "false"/],
    ['digest.enabled=', 'digest.enabled', /got ""/],
    ['forceSync=sometimes', 'forceSync', /"yes" or "no"/],
    ['skipACL=1', 'skipACL', /"yes" or "no"/],
    ['leaderServes=always', 'leaderServes', /"yes" or "no"/],
    ['snapCount=lots', 'snapCount', /an integer/],
    ['preAllocSize=0', 'preAllocSize', /KiB/],
    ['globalOutstandingLimit=0', 'globalOutstandingLimit', /positive integer/],
    ['autopurge.purgeInterval=-1', 'autopurge.purgeInterval', /hours/],
    ['autopurge.snapRetainCount=x', 'autopurge.snapRetainCount', /an integer/],
    ['jute.maxbuffer=1M', 'jute.maxbuffer', /0x hex/],
    ['jute.maxbuffer=0', 'jute.maxbuffer', /positive number of bytes/],
    ['admin.serverPort=70000', 'admin.serverPort', /port number 1\.\.65535/],
    ['admin.enableServer=no', 'admin.enableServer', /"true" or "false"/],
    ['secureClientPort=0', 'secureClientPort', /1\.\.65535/],
    ['observerMasterPort=http', 'observerMasterPort', /1\.\.65535/],
    ['clientPortListenBacklog=0', 'clientPortListenBacklog', /-1 \(default\)/],
    ['electionPortBindRetry=x', 'electionPortBindRetry', /an integer/],
    ['clientPortAddress=', 'clientPortAddress', /host name or IP/],
    ['multiAddress.enabled=yes', 'multiAddress.enabled', /"true" or "false"/],
  ];
  for (const [line, key, pattern] of cases) {
    it(`${line}`, () => {
      const e = parseError(MIN + line);
      expect(e.key).toBe(key);
      expect(e.line).toBe(3);
      expect(e.file).toBe('zoo.cfg');
      expect(e.message).toMatch(pattern);
      expect(e.message.startsWith(`${key}: `)).toBe(true);
    });
  }

  it('clientPort must be a port 1..65535', () => {
    for (const v of ['0', '65536', '-1', 'x']) {
      const e = parseError(`dataDir=/d\nclientPort=${v}`);
      expect(e.key).toBe('clientPort');
      expect(e.message).toContain(`(got "${v}")`);
      expect(e.message).toMatch(/port number 1\.\.65535/);
    }
  });

  it('dataDir is required', () => {
    const e = parseError('clientPort=2181');
    expect(e.message).toMatch(/dataDir is not set/);
    expect(e.message).toMatch(/dataDir=\/var\/lib\/zookeeper/);
  });

  it('clientPort is required for a standalone server', () => {
    expect(parseError('dataDir=/d').message).toMatch(/clientPort is not set.*clientPort=2181/);
  });

  it('clientPortAddress without clientPort', () => {
    const e = parseError('dataDir=/d\nclientPortAddress=10.0.0.1');
    expect(e.key).toBe('clientPortAddress');
    expect(e.message).toMatch(/set without clientPort/);
  });

  it('secureClientPortAddress without secureClientPort', () => {
    const e = parseError(MIN + 'secureClientPortAddress=10.0.0.1');
    expect(e.key).toBe('secureClientPortAddress');
  });

  it('minSessionTimeout larger than maxSessionTimeout', () => {
    const e = parseError(MIN + 'minSessionTimeout=50000\nmaxSessionTimeout=40000');
    expect(e.message).toMatch(/minSessionTimeout must not be larger than maxSessionTimeout/);
    expect(e.message).toMatch(/at most maxSessionTimeout \(40000\)/);
  });

  it('a minSessionTimeout above the derived maximum also fails', () => {
    expect(parseError(MIN + 'tickTime=1000\nminSessionTimeout=30000').key).toBe('minSessionTimeout');
  });
});

describe('parseZooCfg: JVM flags from the environment', () => {
  it('takes -D settings from SERVER_JVMFLAGS and JVMFLAGS', () => {
    const c = cfg('', {
      env: {
        SERVER_JVMFLAGS: '-Xmx1g -Djute.maxbuffer=4194304 -Dzookeeper.4lw.commands.whitelist=* -Dlog4j.configuration=x',
        JVMFLAGS: '-Dreadonlymode.enabled=true -Dzookeeper.snapCount=5000',
      },
    });
    expect(c.juteMaxBuffer).toBe(4194304);
    expect(c.fourLetterWordWhitelist).toHaveLength(18);
    expect(c.readOnlyModeEnabled).toBe(true);
    expect(c.snapCount).toBe(5000);
  });

  it('JVMFLAGS wins over SERVER_JVMFLAGS, and zoo.cfg wins over both', () => {
    const env = { SERVER_JVMFLAGS: '-Dzookeeper.snapCount=1000', JVMFLAGS: '-Dzookeeper.snapCount=2000' };
    expect(cfg('', { env }).snapCount).toBe(2000);
    expect(cfg('snapCount=3000', { env }).snapCount).toBe(3000);
  });

  it('accepts quoted values', () => {
    expect(cfg('', { env: { JVMFLAGS: `-Dzookeeper.4lw.commands.whitelist="stat, ruok"` } }).fourLetterWordWhitelist)
      .toEqual(['ruok', 'srvr', 'stat']);
  });

  it('names the variable when a flag value is bad', () => {
    const e = errorOf(() => cfg('', { env: { SERVER_JVMFLAGS: '-Dzookeeper.snapCount=many' } }));
    expect(e.key).toBe('-Dzookeeper.snapCount');
    expect(e.message).toMatch(/got "many"\) at SERVER_JVMFLAGS/);
  });

  it('ignores the environment unless it is passed', () => {
    expect(cfg('').juteMaxBuffer).toBe(0xfffff);
  });
});
