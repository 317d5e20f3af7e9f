import { runCli } from './main.js';
import { nodeRuntime } from './runtime.js';

// The `zkserver` executable (tsup adds the #!/usr/bin/env node line).
const code = await runCli(process.argv.slice(2), nodeRuntime());
// A stopped server may leave handles behind (timers, half-closed sockets); end here.
process.exit(code);
