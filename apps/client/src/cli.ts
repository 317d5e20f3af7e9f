// The `zkcli` executable.

import { main } from './main.js';

const code = await main(process.argv.slice(2), { input: process.stdin, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
// Everything is closed by now; if a stray handle keeps the loop alive, do not hang a script.
setTimeout(() => process.exit(code), 2000).unref();
