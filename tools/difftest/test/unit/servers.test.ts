import { describe, expect, it } from 'vitest';
import { digestFor, zooCfgLines, zooKeeperJvmProps } from '../../src/servers.js';

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
});
