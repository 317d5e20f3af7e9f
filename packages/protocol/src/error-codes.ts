// Names and Java-style messages for KeeperException codes.

import { ERROR_MESSAGES, ErrorCode } from './constants.js';

const NAME_BY_CODE = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** The KeeperException.Code name for `code` ("NONODE"), or `UNKNOWN(<code>)`. */
export function errorName(code: number): string {
  return NAME_BY_CODE.get(code) ?? `UNKNOWN(${code})`;
}

/** KeeperException.getCodeMessage: "NoNode", "Directory not empty", ... */
export function errorMessage(code: number): string {
  return ERROR_MESSAGES[code] ?? `Unknown error ${code}`;
}

/**
 * KeeperException.getMessage: "KeeperErrorCode = NoNode" or, with a path,
 * "KeeperErrorCode = NoNode for /x".
 */
export function keeperErrorMessage(code: number, path?: string | null): string {
  const base = `KeeperErrorCode = ${errorMessage(code)}`;
  return path ? `${base} for ${path}` : base;
}

/** True for a known KeeperException code. */
export function isKnownErrorCode(code: number): code is ErrorCode {
  return NAME_BY_CODE.has(code);
}
