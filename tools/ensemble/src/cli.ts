// `npm run ensemble -- --servers 3 [--observers 1] [--target zkts|zookeeper]`: a local ensemble in
// the foreground. Members are started by @zk/testkit (own sessions, free ports, temp dir); Ctrl-C
// stops them cleanly (SIGTERM each, SIGKILL after 5 s) and removes the temp dir unless --keep.

import { handleSignalsYourself, startEnsemble, type MemberMode, type RunningEnsemble } from '@zk/testkit';
import { ArgsError, parseArgs, USAGE } from './args.js';
import { describeEnsemble, roleLine } from './describe.js';

async function main(argv: readonly string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof ArgsError) {
      process.stderr.write(`ensemble: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Ctrl-C must stop the members cleanly, not SIGKILL them (testkit's default for test runs).
  handleSignalsYourself();
  let ens: RunningEnsemble | undefined;
  let signalled: NodeJS.Signals | undefined;
  let wake: () => void = () => undefined;
  const signalledPromise = new Promise<void>((r) => (wake = r));
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalled !== undefined) {
      process.stderr.write(`\n${sig} again: exiting at once (members are SIGKILLed)\n`);
      process.exit(130);
    }
    signalled = sig;
    process.stdout.write(`\n${sig}: stopping the ensemble...\n`);
    wake();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => onSignal(sig));

  const name = opts.target === 'zkts' ? 'zk-ts' : 'Apache ZooKeeper';
  process.stdout.write(
    `starting a ${opts.servers}-server ${name} ensemble${opts.observers ? ` with ${opts.observers} observer${opts.observers > 1 ? 's' : ''}` : ''} on 127.0.0.1...\n`,
  );
  const starting = startEnsemble(opts.target, {
    servers: opts.servers,
    observers: opts.observers,
    settings: { tickTime: opts.tickTime },
    initLimit: opts.initLimit,
    syncLimit: opts.syncLimit,
    keep: opts.keep,
    startTimeoutMs: opts.startTimeoutMs,
  });
  try {
    ens = await starting;
  } catch (e) {
    process.stderr.write(`ensemble: ${(e as Error).message}\n`);
    return signalled !== undefined ? 130 : 1;
  }
  if (signalled === undefined) {
    const modes = await ens.modes();
    process.stdout.write(describeEnsemble(ens, modes, opts.keep));
    process.stdout.write('Ctrl-C to stop.\n');
    let last = modes;
    while (signalled === undefined) {
      await Promise.race([signalledPromise, new Promise((r) => setTimeout(r, 1000))]);
      if (signalled !== undefined || !opts.watch) continue;
      const now: Map<number, MemberMode> = await ens.modes();
      const changed = [...now].filter(([id, m]) => last.get(id) !== m);
      const t = new Date().toISOString().slice(11, 19);
      for (const [id, mode] of changed) process.stdout.write(`${t} ${roleLine(ens.member(id), mode)}  (was ${last.get(id)})\n`);
      last = now;
    }
  }
  await ens.stop();
  process.stdout.write(opts.keep ? `stopped; kept ${ens.root}\n` : 'stopped\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`ensemble: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
