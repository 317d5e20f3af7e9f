import { describe, expect, it } from 'vitest';
import { isConfigError, parseZooCfg, type ConfigError, type ParseZooCfgOptions } from '../src/config/index.js';

const ENSEMBLE = [
  'tickTime=2000', 'initLimit=10', 'syncLimit=5', 'dataDir=/var/lib/zk', 'clientPort=2181',
  'server.1=zk1:2888:3888', 'server.2=zk2:2888:3888', 'server.3=zk3:2888:3888',
].join('\n');
const parse = (text: string, options: ParseZooCfgOptions = {}) =>
  parseZooCfg(text, { baseDir: '/base', file: 'zoo.cfg', ...options });

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
/** A three-server ensemble (this server is server.2) whose server.1 line is `value`. */
const withServer1 = (value: string) =>
  `dataDir=/d\nclientPort=2181\nserver.1=${value}\nserver.2=b:1:2\nserver.3=c:1:2\ninitLimit=5\nsyncLimit=2`;
const serverLine = (value: string) =>
  parse(withServer1(value) + '\nmultiAddress.enabled=true', { myid: '2' }).config.servers[0]!;
const serverLineError = (value: string) => errorOf(() => parse(withServer1(value), { myid: '2' }));

describe('server.N lines', () => {
  it('host:quorumPort:electionPort', () => {
    expect(serverLine('zk1.example.com:2888:3888')).toEqual({
      id: 1, host: 'zk1.example.com', quorumPort: 2888, electionPort: 3888,
      addresses: [{ host: 'zk1.example.com', quorumPort: 2888, electionPort: 3888 }], type: 'participant',
    });
  });

  it('with a role', () => {
    expect(serverLine('zk1:2888:3888:participant').type).toBe('participant');
    expect(serverLine('zk1:2888:3888:OBSERVER').type).toBe('observer');
  });

  it('client port after ;', () => {
    expect(serverLine('zk1:2888:3888;2181')).toMatchObject({ clientPort: 2181, clientPortAddress: '0.0.0.0' });
  });

  it('client host and port after ;', () => {
    expect(serverLine('zk1:2888:3888:participant;10.0.0.1:2182')).toMatchObject({
      type: 'participant', clientPort: 2182, clientPortAddress: '10.0.0.1',
    });
  });

  it('IPv6 literals in brackets, for the peer and the client address', () => {
    expect(serverLine('[::1]:2888:3888;[::1]:2181')).toMatchObject({
      host: '::1', quorumPort: 2888, electionPort: 3888, clientPort: 2181, clientPortAddress: '::1',
    });
    expect(serverLine('[2001:db8::5]:2888:3888:observer')).toMatchObject({ host: '2001:db8::5', type: 'observer' });
  });

  it('tolerates blanks around parts and a trailing ; as ZooKeeper does', () => {
    expect(serverLine('zk1:2888:3888 ; 2181')).toMatchObject({ host: 'zk1', clientPort: 2181 });
    expect(serverLine('zk1:2888:3888;').clientPort).toBeUndefined();
  });

  it('several |-separated addresses with multiAddress.enabled=true', () => {
    expect(serverLine('zk1-a:2888:3888|zk1-b:2889:3889')).toMatchObject({
      host: 'zk1-a', quorumPort: 2888,
      addresses: [
        { host: 'zk1-a', quorumPort: 2888, electionPort: 3888 },
        { host: 'zk1-b', quorumPort: 2889, electionPort: 3889 },
      ],
    });
  });

  it('refuses several addresses without multiAddress.enabled', () => {
    expect(serverLineError('a:1:2|b:1:2').message).toMatch(/multiAddress\.enabled=true/);
  });

  const bad: Array<[string, RegExp]> = [
    ['zk1:2888', /malformed server address/],
    ['zk1', /malformed server address/],
    ['zk1:2888:3888:observer:extra', /malformed server address/],
    [':2888:3888', /empty host name/],
    ['zk1:0:3888', /bad quorum port "0"/],
    ['zk1:2888:65536', /bad election port "65536"/],
    ['zk1:x:3888', /bad quorum port "x"/],
    ['zk1:2888:2888', /same port for quorum and election/],
    ['zk1:2888:3888:voter', /unknown peer type "voter"/],
    ['zk1:2888:3888;2181;2281', /more than one ";"/],
    ['zk1:2888:3888;0', /bad client port "0"/],
    ['zk1:2888:3888;a:b:2181', /malformed client address/],
    ['zk1:2888:3888;::1:2181', /malformed client address/],
    ['zk1:2888:3888;:2181', /empty client host/],
    ['[::1:2888:3888', /malformed server address/],
    ['[::1]', /malformed server address/],
    ['[::1]2888:3888', /malformed server address/],
  ];
  for (const [value, pattern] of bad) {
    it(`rejects server.1=${value}`, () => {
      const e = serverLineError(value);
      expect(e.key).toBe('server.1');
      expect(e.value).toBe(value.trim());
      expect(e.line).toBe(3);
      expect(e.message).toMatch(pattern);
      expect(e.message).toMatch(/; expected /);
    });
  }

  it('server ids must be 1..255', () => {
    for (const key of ['server.0', 'server.256', 'server.x', 'server.', 'server.-1', 'server.1.5']) {
      const e = errorOf(() => parse(`dataDir=/d\nclientPort=1\n${key}=a:1:2`));
      expect(e.key).toBe(key);
      expect(e.message).toMatch(/server\.N with N an integer 1\.\.255/);
    }
    expect(parse('dataDir=/d\nclientPort=1\nserver.255=a:1:2\nserver.01=b:1:2\ninitLimit=1\nsyncLimit=1', { myid: '1' })
      .config.servers.map((s) => s.id)).toEqual([1, 255]);
  });
});

describe('standalone or ensemble, as ZooKeeper decides', () => {
  it('no server lines: standalone', () => {
    const c = parse('dataDir=/d\nclientPort=2181').config;
    expect(c.distributed).toBe(false);
    expect(c.servers).toEqual([]);
  });

  it('three participants: an ensemble, servers sorted by id', () => {
    const { config, warnings } = parse(ENSEMBLE.replace('server.1=zk1:2888:3888\n', '') + '\nserver.1=zk1:2888:3888', { myid: '2' });
    expect(warnings).toEqual([]);
    expect(config.distributed).toBe(true);
    expect(config.serverId).toBe(2);
    expect(config.servers.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(config.peerType).toBe('participant');
    expect(config.clientPort).toBe(2181);
    expect(config.clientPortAddress).toBe('0.0.0.0');
  });

  it('one participant with standaloneEnabled (the default): standalone, with a warning', () => {
    const { config, warnings } = parse('dataDir=/d\nclientPort=2181\nserver.1=zk1:2888:3888');
    expect(config.distributed).toBe(false);
    expect(config.servers).toHaveLength(1);
    expect(warnings[0]).toMatch(/only one server \(server\.1\).*standalone/);
  });

  it('one participant with standaloneEnabled=false: a one-member ensemble', () => {
    const { config } = parse('dataDir=/d\nclientPort=2181\ninitLimit=5\nsyncLimit=2\nstandaloneEnabled=false\nserver.1=zk1:2888:3888', { myid: '1' });
    expect(config.distributed).toBe(true);
  });

  it('standaloneEnabled=false needs a participant', () => {
    const e = errorOf(() => parse('dataDir=/d\nclientPort=2181\nstandaloneEnabled=false'));
    expect(e.key).toBe('standaloneEnabled');
    expect(e.message).toMatch(/at least one participant/);
  });

  it('observers need participants', () => {
    expect(errorOf(() => parse('dataDir=/d\nclientPort=1\nserver.1=a:1:2:observer')).message)
      .toMatch(/observers without participants/);
    expect(errorOf(() => parse('dataDir=/d\nclientPort=1\nserver.1=a:1:2\nserver.2=b:1:2:observer')).message)
      .toMatch(/observers without a quorum/);
  });

  it('warns about two participants and about even counts', () => {
    const two = parse('dataDir=/d\nclientPort=1\ninitLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.2=b:1:2', { myid: '1' });
    expect(two.warnings[0]).toMatch(/no server failure will be tolerated/);
    const four = parse(ENSEMBLE + '\nserver.4=zk4:2888:3888', { myid: '1' });
    expect(four.warnings[0]).toMatch(/even number/);
    const withObserver = parse(ENSEMBLE + '\nserver.4=zk4:2888:3888:observer', { myid: '1' });
    expect(withObserver.warnings).toEqual([]);
  });

  it('an ensemble needs initLimit, syncLimit and myid', () => {
    expect(errorOf(() => parse(ENSEMBLE.replace('initLimit=10', ''), { myid: '1' })).message).toMatch(/initLimit is not set/);
    expect(errorOf(() => parse(ENSEMBLE.replace('syncLimit=5', ''), { myid: '1' })).message).toMatch(/syncLimit is not set/);
    const e = errorOf(() => parse(ENSEMBLE));
    expect(e.key).toBe('myid');
    expect(e.message).toBe(
      "myid: file /var/lib/zk/myid is missing; an ensemble member needs it; expected it to hold this server's id, one of 1, 2, 3",
    );
  });
});

describe('myid', () => {
  it('is a single integer; blanks and a newline are fine', () => {
    expect(parse(ENSEMBLE, { myid: ' 3 \n' }).config.serverId).toBe(3);
    expect(parse(ENSEMBLE, { myid: '1\nignored' }).config.serverId).toBe(1);
  });

  it('must be 1..255 and a number', () => {
    for (const bad of ['0', '256', 'one', '', '1.0', '-1']) {
      const e = errorOf(() => parse(ENSEMBLE, { myid: bad }));
      expect(e.key).toBe('myid');
      expect(e.file).toBe('/var/lib/zk/myid');
      expect(e.message).toMatch(/a single integer 1\.\.255/);
    }
  });

  it('must be 254 or less with extendedTypesEnabled', () => {
    const text = 'dataDir=/d\nclientPort=1\ninitLimit=1\nsyncLimit=1\nextendedTypesEnabled=true\nserver.1=a:1:2\nserver.255=b:1:2';
    expect(errorOf(() => parse(text, { myid: '255' })).message).toMatch(/1\.\.254/);
    expect(parse(text, { myid: '1' }).config.serverId).toBe(1);
  });

  it('must be in the server list', () => {
    const e = errorOf(() => parse(ENSEMBLE, { myid: '7' }));
    expect(e.message).toMatch(/not in the server list/);
    expect(e.message).toMatch(/one of the server ids in the config \(1, 2, 3\)/);
  });

  it('is kept for a standalone config too', () => {
    expect(parse('dataDir=/d\nclientPort=1', { myid: '4' }).config.serverId).toBe(4);
  });
});

describe('client address from this server\'s line (setupClientPort)', () => {
  const noClientPort = ENSEMBLE.replace('clientPort=2181\n', '');

  it('takes port and host from server.<myid>', () => {
    const text = noClientPort.replace('server.2=zk2:2888:3888', 'server.2=zk2:2888:3888;10.0.0.2:2182');
    const c = parse(text, { myid: '2' }).config;
    expect([c.clientPortAddress, c.clientPort]).toEqual(['10.0.0.2', 2182]);
  });

  it('a port-only client part means all interfaces', () => {
    const text = noClientPort.replace('server.2=zk2:2888:3888', 'server.2=zk2:2888:3888;2182');
    const c = parse(text, { myid: '2' }).config;
    expect([c.clientPortAddress, c.clientPort]).toEqual(['0.0.0.0', 2182]);
  });

  it('falls back to clientPort when the line has no client part', () => {
    const c = parse(ENSEMBLE, { myid: '2' }).config;
    expect([c.clientPortAddress, c.clientPort]).toEqual(['0.0.0.0', 2181]);
  });

  it('agrees with a matching clientPort', () => {
    const text = ENSEMBLE.replace('server.2=zk2:2888:3888', 'server.2=zk2:2888:3888;10.0.0.2:2181');
    expect(parse(text, { myid: '2' }).config.clientPortAddress).toBe('10.0.0.2');
  });

  it('refuses a conflicting clientPort', () => {
    const text = ENSEMBLE.replace('server.2=zk2:2888:3888', 'server.2=zk2:2888:3888;2182');
    const e = errorOf(() => parse(text, { myid: '2' }));
    expect(e.key).toBe('server.2');
    expect(e.message).toMatch(/client address for this server \(myid 2\) differs/);
  });

  it('refuses a conflicting clientPortAddress', () => {
    const text = ENSEMBLE.replace('clientPort=2181', 'clientPort=2181\nclientPortAddress=10.0.0.9')
      .replace('server.2=zk2:2888:3888', 'server.2=zk2:2888:3888;10.0.0.2:2181');
    expect(errorOf(() => parse(text, { myid: '2' })).message).toMatch(/differs/);
  });

  it('needs a client port somewhere', () => {
    const e = errorOf(() => parse(noClientPort, { myid: '2' }));
    expect(e.message).toMatch(/clientPort is not set.*";<port>" at the end of server\.2/);
  });

  it('uses the line of a single-server standalone config too', () => {
    const c = parse('dataDir=/d\nserver.1=zk1:2888:3888;127.0.0.1:2185', { myid: '1' }).config;
    expect(c.distributed).toBe(false);
    expect([c.clientPortAddress, c.clientPort]).toEqual(['127.0.0.1', 2185]);
  });
});

describe('peer type (setupPeerType)', () => {
  it('an observer line makes this server an observer', () => {
    const text = ENSEMBLE + '\nserver.4=zk4:2888:3888:observer';
    expect(parse(text, { myid: '4' }).config.peerType).toBe('observer');
  });

  it('the server list wins over a disagreeing peerType, with a warning', () => {
    const r = parse(ENSEMBLE + '\npeerType=observer', { myid: '1' });
    expect(r.config.peerType).toBe('participant');
    expect(r.warnings[0]).toMatch(/peerType=observer does not match server\.1, which says participant/);
  });
});

describe('dynamicConfigFile', () => {
  const staticPart = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/lib/zk\nclientPort=2181\ndynamicConfigFile=/etc/zk/zoo.cfg.dynamic.100000000';
  const dynamic = 'server.1=zk1:2888:3888:participant;2181\nserver.2=zk2:2888:3888:participant;2181\nserver.3=zk3:2888:3888:participant;2181\nversion=100000000';

  it('reads the ensemble from the dynamic file', () => {
    const c = parse(staticPart, { myid: '1', dynamicConfig: dynamic }).config;
    expect(c.distributed).toBe(true);
    expect(c.servers).toHaveLength(3);
    expect(c.dynamicConfigFile).toBe('/etc/zk/zoo.cfg.dynamic.100000000');
    expect(c.dynamicConfigVersion).toBe('100000000');
  });

  it('server lines must not also be in the static file', () => {
    const e = errorOf(() => parse(staticPart + '\nserver.1=zk1:2888:3888', { myid: '1', dynamicConfig: dynamic }));
    expect(e.key).toBe('server.1');
    expect(e.message).toMatch(/must be in the dynamic config file/);
  });

  it('only server lines and version may be in the dynamic file', () => {
    const e = errorOf(() => parse(staticPart, { myid: '1', dynamicConfig: dynamic + '\ntickTime=1000' }));
    expect(e.key).toBe('tickTime');
    expect(e.file).toBe('/etc/zk/zoo.cfg.dynamic.100000000');
    expect(e.line).toBe(5);
  });

  it('errors when the dynamic file was not provided', () => {
    expect(errorOf(() => parse(staticPart, { myid: '1' })).key).toBe('dynamicConfigFile');
  });

  it('a version in the static file is kept (backward-compatible mode)', () => {
    expect(parse(ENSEMBLE + '\nversion=1A', { myid: '1' }).config.dynamicConfigVersion).toBe('1a');
    expect(errorOf(() => parse(ENSEMBLE + '\nversion=xyz', { myid: '1' })).key).toBe('version');
  });
});
