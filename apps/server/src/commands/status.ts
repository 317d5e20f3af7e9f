import { intOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { CONFIG_POSITIONAL, loadCliConfig, usingConfigLine } from '../config.js';
import { ZK_NOT_SERVING } from '@zk/server';
import { contactAddress, modeLine, sendFourLetterWord } from '../four-letter-word.js';

const DEFAULT_STATUS_TIMEOUT_MS = 5000;
export const NOT_RUNNING = 'Error contacting service. It is probably not running.';

export const statusCommand: Command = {
  name: 'status',
  summary: "ask the server its mode (srvr), like zkServer.sh status",
  description: [
    "Sends the srvr four-letter word to the config's client address (127.0.0.1 when it binds all",
    'interfaces) and prints the Mode: line of the answer (standalone, leader, follower, observer;',
    'looking while an ensemble member elects or syncs, with exit status 1).',
    'Works against any ZooKeeper-compatible server.',
    '',
    'Exit codes: 0 running, 1 not reachable or not serving, 2 bad arguments or config.',
  ].join('\n'),
  positionals: [CONFIG_POSITIONAL],
  options: {
    timeout: { type: 'string', valueName: 'ms', description: `how long to wait for the answer (default ${DEFAULT_STATUS_TIMEOUT_MS})` },
  },
  async run({ rt }, args) {
    const timeoutMs = intOption('status', 'timeout', args.options['timeout'], DEFAULT_STATUS_TIMEOUT_MS);
    const loaded = await loadCliConfig(rt, args.positionals[0]);
    rt.stderr(usingConfigLine(loaded));
    const host = contactAddress(loaded.config.clientPortAddress);
    const port = loaded.config.clientPort;
    rt.stdout(`Client port found: ${port}. Client address: ${host}.\n`);
    let mode: string | undefined;
    let reply = '';
    try {
      reply = await sendFourLetterWord(host, port, 'srvr', timeoutMs);
      mode = modeLine(reply);
    } catch {
      mode = undefined;
    }
    if (mode === undefined && reply.startsWith(ZK_NOT_SERVING)) {
      // An ensemble member that is electing a leader, or syncing with it (ZooKeeper's LOOKING).
      rt.stdout(`Mode: looking (${ZK_NOT_SERVING.toLowerCase()}: electing a leader or syncing with it)\n`);
      return EXIT_FAILED;
    }
    if (mode === undefined) {
      rt.stdout(`${NOT_RUNNING}\n`);
      return EXIT_FAILED;
    }
    rt.stdout(`${mode}\n`);
    return EXIT_OK;
  },
};
