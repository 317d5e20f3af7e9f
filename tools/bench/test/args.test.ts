import { describe, expect, it } from 'vitest';
import { ArgsError, commandLine, parseArgs, systemsOf } from '../src/args.js';

describe('parseArgs', () => {
  it('defaults to the quick suite, both systems, standalone', () => {
    const a = parseArgs([]);
    expect([a.suite, a.target, a.servers, a.workers, a.writeDoc, a.tree, a.cpuProf]).toEqual(['quick', 'both', 1, 2, true, true, undefined]);
    expect(systemsOf(a)).toEqual(['zookeeper', 'ours']);
  });
  it('reads values separated by a space or an equals sign', () => {
    const a = parseArgs(['--suite', 'full', '--target=ours', '--workers', '3', '--no-doc', '--only', 'throughput,tree']);
    expect([a.suite, a.target, a.workers, a.writeDoc, a.only]).toEqual(['full', 'ours', 3, false, ['throughput', 'tree']]);
    expect(systemsOf(a)).toEqual(['ours']);
    expect(systemsOf(parseArgs(['--first', 'ours']))).toEqual(['ours', 'zookeeper']);
  });
  it('takes --cpu-prof with or without a directory', () => {
    expect(parseArgs(['--cpu-prof']).cpuProf).toBe('');
    expect(parseArgs(['--cpu-prof', '/tmp/p', '--no-doc']).cpuProf).toBe('/tmp/p');
    expect(parseArgs(['--cpu-prof', '--no-doc']).cpuProf).toBe('');
  });
  it('refuses bad values, unknown options and a failover without an ensemble', () => {
    expect(() => parseArgs(['--suite', 'huge'])).toThrow(ArgsError);
    expect(() => parseArgs(['--workers', '0'])).toThrow(/integer >= 1/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--only', 'nope'])).toThrow(/--only/);
    expect(() => parseArgs(['--only', 'failover'])).toThrow(/--servers 3/);
    expect(parseArgs(['--servers', '3', '--target', 'zookeeper']).servers).toBe(3);
    // Both systems as ensembles: the same zoo.cfg; a system that cannot start is reported, not refused here.
    expect(parseArgs(['--servers', '3', '--only', 'failover']).servers).toBe(3);
  });
  it('takes the client-benchmark and failover options', () => {
    const a = parseArgs(['--only', 'client', '--client-depth', '16', '--client-repetitions', '5', '--failover-rounds', '9']);
    expect([a.only, a.clientDepth, a.clientRepetitions, a.failoverRounds]).toEqual([['client'], 16, 5, 9]);
    expect(parseArgs([]).clientDepth).toBe(64);
    expect(() => parseArgs(['--client-depth', '0'])).toThrow(/integer >= 1/);
  });
  it('prints the command as the root script form', () => {
    expect(commandLine(['--suite', 'quick'])).toBe('npm run bench -- --suite quick');
  });
});
