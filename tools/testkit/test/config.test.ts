import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, digestFor, serverCommand, zooCfgLines, zooKeeperJvmProps } from '../src/index.js';

describe('launcher configuration', () => {
  it('computes ZooKeeper digests (user:base64(sha1(user:password)))', () => {
    expect(digestFor('super', 'super-secret')).toMatch(/^super:[A-Za-z0-9+/]{27}=$/);
    // The same id kazoo's make_digest_acl('alice', 'secret') computes.
    expect(digestFor('alice', 'secret')).toBe('alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
  });

  it('writes one zoo.cfg for both servers and the matching JVM properties for ZooKeeper', () => {
    const cfg = zooCfgLines({ juteMaxBuffer: 4096, extendedTypesEnabled: false }, '/tmp/d', 1234, '127.0.0.1');
    expect(cfg).toEqual(
      expect.arrayContaining([
        'clientPort=1234', 'clientPortAddress=127.0.0.1', 'dataDir=/tmp/d', '4lw.commands.whitelist=*', 'extendedTypesEnabled=false',
        'znode.container.checkIntervalMs=100', 'jute.maxbuffer=4096', expect.stringMatching(/^DigestAuthenticationProvider\.superDigest=super:/),
      ]),
    );
    const props = zooKeeperJvmProps({ juteMaxBuffer: 4096, extendedTypesEnabled: false });
    expect(props).toEqual(
      expect.arrayContaining(['-Djute.maxbuffer=4096', '-Dzookeeper.extendedTypesEnabled=false', '-Dznode.container.checkIntervalMs=100', expect.stringMatching(/^-Dzookeeper\.DigestAuthenticationProvider\.superDigest=super:/)]),
    );
  });

  it('uses the defaults when nothing is set, and writes optional keys only when set', () => {
    const cfg = zooCfgLines({}, '/d', 2181, '127.0.0.1');
    expect(cfg.slice(0, 5)).toEqual(['tickTime=500', 'dataDir=/d', 'clientPort=2181', 'clientPortAddress=127.0.0.1', 'maxClientCnxns=0']);
    expect(cfg.some((l) => /^(minSessionTimeout|maxSessionTimeout|jute\.maxbuffer)=/.test(l))).toBe(false);
    expect(cfg).toContain(`DigestAuthenticationProvider.superDigest=${DEFAULT_SETTINGS.superDigest}`);
    const bounded = zooCfgLines({ tickTime: 200, minSessionTimeout: 3000, maxSessionTimeout: 6000, superDigest: null }, '/d', 1, 'h');
    expect(bounded).toEqual(expect.arrayContaining(['tickTime=200', 'minSessionTimeout=3000', 'maxSessionTimeout=6000']));
    expect(bounded.some((l) => l.startsWith('DigestAuthenticationProvider'))).toBe(false);
    expect(zooKeeperJvmProps({ superDigest: null }).some((p) => p.includes('superDigest'))).toBe(false);
  });

  it('passes extra zoo.cfg keys to ZooKeeper as zookeeper.<key> properties too', () => {
    const extra = { 'snapCount': '10', 'globalOutstandingLimit': '7' };
    expect(zooCfgLines({ extraCfg: extra }, '/d', 1, 'h').slice(-2)).toEqual(['snapCount=10', 'globalOutstandingLimit=7']);
    expect(zooKeeperJvmProps({ extraCfg: extra }).slice(-2)).toEqual(['-Dzookeeper.snapCount=10', '-Dzookeeper.globalOutstandingLimit=7']);
  });

  it('starts ZooKeeper standalone from the zoo.cfg with the same settings as -D properties, zk-ts via its CLI', () => {
    const zk = serverCommand('zookeeper', { extendedTypesEnabled: false }, '/t/zoo.cfg', '/t');
    expect(zk.args.slice(-2)).toEqual(['org.apache.zookeeper.server.ZooKeeperServerMain', '/t/zoo.cfg']);
    expect(zk.args).toContain('-Dzookeeper.extendedTypesEnabled=false');
    expect(zk.args).toContain('-Dzookeeper.log.dir=/t');
    expect(zk.args[zk.args.indexOf('-cp') + 1]).toMatch(/zookeeper/);
    const ours = serverCommand('zkts', {}, '/t/zoo.cfg', '/t');
    expect(ours.command).toBe(process.execPath);
    expect(ours.args.slice(-2)).toEqual(['start', '/t/zoo.cfg']);
    expect(ours.args[0]).toMatch(/apps\/server\/dist\/cli\.js$/);
  });
});
