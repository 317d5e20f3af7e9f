/**
 * zkcli: zkCli.sh's commands for zk-ts and Apache ZooKeeper, interactive or one-shot.
 * @packageDocumentation
 */
export { main, type Io } from './main.js';
export { Shell, type ShellOptions } from './shell.js';
export { parseArgs, type CliArgs } from './args.js';
export { tokenize } from './tokenize.js';
export { parseFlags, type FlagSpec, type ParsedFlags } from './flags.js';
export { javaDate, statLines, aclLines, permString, idString, eventString } from './format.js';
export { parseAcl } from './acl-parser.js';
export { CliError, cliMessage } from './cli-error.js';
export { VERSION_LINE } from './version.js';
