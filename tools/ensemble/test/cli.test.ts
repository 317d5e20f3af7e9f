import { describe, expect, it } from 'vitest';
import { ArgsError, describeEnsemble, parseArgs, parseTarget, roleLine, USAGE } from '../src/index.js';

describe('npm run ensemble arguments', () => {
  it('defaults to 3 zk-ts servers, no observers, tickTime 2000', () => {
    expect(parseArgs([])).toEqual({
      servers: 3, observers: 0, target: 'zkts', tickTime: 2000, initLimit: 10, syncLimit: 5,
      keep: false, watch: true, startTimeoutMs: 90_000, help: false,
    });
  });

  it('reads every option, with a value after the flag or after =', () => {
    const o = parseArgs(['--servers', '5', '--observers=1', '--target', 'zookeeper', '--tick-time', '500', '--init-limit=20', '--sync-limit', '10', '--keep', '--no-watch', '--start-timeout', '5000']);
    expect(o).toMatchObject({ servers: 5, observers: 1, target: 'zookeeper', tickTime: 500, initLimit: 20, syncLimit: 10, keep: true, watch: false, startTimeoutMs: 5000 });
    expect(parseArgs(['-h']).help).toBe(true);
    expect(USAGE).toMatch(/--servers N/);
  });

  it('names targets as the other tools do', () => {
    expect(parseTarget('ours')).toBe('zkts');
    expect(parseTarget('zk-ts')).toBe('zkts');
    expect(parseTarget('zk')).toBe('zookeeper');
    expect(() => parseTarget('etcd')).toThrow(ArgsError);
  });

  it('refuses bad values and unknown arguments', () => {
    expect(() => parseArgs(['--servers', '1'])).toThrow(/--servers must be 2..9/);
    expect(() => parseArgs(['--servers'])).toThrow(/needs a whole number, got nothing/);
    expect(() => parseArgs(['--observers', 'x'])).toThrow(/whole number/);
    expect(() => parseArgs(['--verbose'])).toThrow(/unknown argument "--verbose"/);
  });
});

describe('what it prints', () => {
  const member = (id: number, type: 'participant' | 'observer' = 'participant') => ({
    id, type, connectString: `127.0.0.1:${4000 + id}`, pid: 100 + id, quorumPort: 5000 + id, electionPort: 6000 + id,
  });

  it('one line per member with its role, and the connect string', () => {
    expect(roleLine(member(2), 'leader')).toBe('server.2  127.0.0.1:4002  leader       pid 102  (quorum 5002, election 6002)');
    expect(roleLine(member(4, 'observer'), 'observer')).toMatch(/^server\.4 \(observer\)  127\.0\.0\.1:4004  observer /);
    const text = describeEnsemble(
      { kind: 'zkts', connectString: '127.0.0.1:4001,127.0.0.1:4002', root: '/tmp/zkens-x', members: [member(1), member(2)] as never },
      new Map([[1, 'follower'], [2, 'leader']]),
      false,
    );
    expect(text.split('\n')[0]).toBe('connect string: 127.0.0.1:4001,127.0.0.1:4002');
    expect(text).toMatch(/server\.1 .* follower/);
    expect(text).toMatch(/server\.2 .* leader/);
    expect(text).toMatch(/removed when stopped/);
  });
});
