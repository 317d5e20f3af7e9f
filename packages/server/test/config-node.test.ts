import { describe, expect, it } from 'vitest';
import { configNodeText } from '../src/config-node.js';
import { parseZooCfg } from '../src/index.js';

describe('/zookeeper/config text', () => {
  it('writes ZooKeeper\'s QuorumVerifier lines: client address only when the server line gave it, observers, IPv6', () => {
    const { config } = parseZooCfg(
      [
        'tickTime=2000', 'initLimit=5', 'syncLimit=2', 'dataDir=/d', 'clientPort=2181',
        'server.3=zk3:2888:3888:observer',
        'server.1=10.0.0.1:2888:3888;2181',
        'server.2=[::1]:2888:3888:participant;127.0.0.1:2182',
      ].join('\n'),
      { myid: '1' },
    );
    expect(configNodeText(config.servers)).toBe(
      'server.1=10.0.0.1:2888:3888:participant;0.0.0.0:2181\n' +
        'server.2=[::1]:2888:3888:participant;127.0.0.1:2182\n' +
        'server.3=zk3:2888:3888:observer\n' +
        'version=0',
    );
  });
});
