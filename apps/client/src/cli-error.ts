// Errors the CLI prints as zkCli.sh does (one line, never a stack trace), with an exit code.

import { InvalidPathError, isZooKeeperError, type ZooKeeperError } from '@zk/client';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1, readonly zk?: ZooKeeperError) {
    super(message);
    this.name = 'CliError';
  }
}

/** CliWrapperException.getMessage: zkCli.sh's wording for a failed call. */
export function cliMessage(err: ZooKeeperError): string {
  const p = err.path ?? '';
  switch (err.codeName) {
    case 'NONODE':
      return `Node does not exist: ${p}`;
    case 'NOCHILDRENFOREPHEMERALS':
      return `Ephemerals cannot have children: ${p}`;
    case 'NODEEXISTS':
      return `Node already exists: ${p}`;
    case 'NOTEMPTY':
      return `Node not empty: ${p}`;
    case 'NOTREADONLY':
      return `Not a read-only call: ${p}`;
    case 'INVALIDACL':
      return `Acl is not valid : ${p}`;
    case 'NOAUTH':
      return `Insufficient permission : ${p}`;
    case 'BADARGUMENTS':
      return `Arguments are not valid : ${p}`;
    case 'BADVERSION':
      return `version No is not valid : ${p}`;
    case 'RECONFIGINPROGRESS':
      return 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)';
    case 'QUOTAEXCEEDED':
      return `Quota has exceeded : ${p}`;
    default:
      return err.message;
  }
}

/** Any failure of a command, as a CliError. */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (isZooKeeperError(err)) return new CliError(cliMessage(err), 1, err);
  if (err instanceof InvalidPathError) return new CliError(err.message);
  if (err instanceof TypeError || err instanceof RangeError) return new CliError(err.message);
  return new CliError(err instanceof Error ? err.message : String(err));
}
