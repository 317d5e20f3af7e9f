import { describe, expect, it } from 'vitest';
import { COMMANDS, runCli } from '../src/index.js';
import { fakeRuntime } from './support/fake-runtime.js';

const run = async (...argv: string[]) => {
  const rt = fakeRuntime({ cwd: '/nonexistent' });
  const code = await runCli(argv, rt);
  return { code, out: rt.stdoutText(), err: rt.stderrText() };
};

describe('zkserver command line', () => {
  it('with no arguments prints usage to stderr and exits 2', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: zkserver <command> \[zoo\.cfg\] \[options\]/);
  });

  it('--help lists every command on stdout', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await run(flag);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name}`);
      expect(r.out).toContain('127.0.0.1:2181');
    }
  });

  it('<command> --help and help <command> describe the command, hiding internal options', async () => {
    const a = await run('start', '--help');
    const b = await run('help', 'start');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).toMatch(/^Usage: zkserver start \[zoo\.cfg\] \[options\]/);
    expect(a.out).toContain('-d, --daemon');
    expect(a.out).toContain('--log-format <text|json>');
    expect(a.out).not.toContain('daemon-child');
    expect((await run('status', '-h')).out).toContain('Mode: line');
  });

  it('help for an unknown command is a usage error', async () => {
    expect((await run('help', 'frobnicate')).code).toBe(2);
  });

  it('version, --version and -v print the version', async () => {
    for (const argv of [['version'], ['--version'], ['-v']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^zkserver \d+\.\d+\.\d+ \(zk-ts; speaks the Apache ZooKeeper 3\.8 client protocol\)\n$/);
    }
  });

  it('an unknown command exits 2 naming it', async () => {
    const r = await run('restart');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^zkserver: unknown command "restart"/);
  });

  it('an unknown option exits 2 and points at --help', async () => {
    const r = await run('status', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`zkserver status: unknown option '--colour'\nRun "zkserver status --help" for usage.\n`);
  });

  it('a second config file is a usage error', async () => {
    const r = await run('stop', 'a.cfg', 'b.cfg');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unexpected argument "b\.cfg"/);
  });

  it('a missing config file is a configuration error (exit 2)', async () => {
    const r = await run('status', 'missing.cfg');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'zkserver: bad configuration: the config file does not exist at /nonexistent/missing.cfg; expected a readable file\n',
    );
  });
});
