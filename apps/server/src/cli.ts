import { runCli } from './main.js';
import { nodeRuntime } from './runtime.js';

// The `zkserver` executable (tsup adds the #!/usr/bin/env node line).
// `zkserver log-dump FILE | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const code = await runCli(process.argv.slice(2), nodeRuntime());
// A stopped server may leave handles behind (timers, half-closed sockets); end here.
process.exit(code);
