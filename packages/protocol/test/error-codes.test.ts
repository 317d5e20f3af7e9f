import { describe, expect, it } from 'vitest';
import { ErrorCode, errorMessage, errorName, isKnownErrorCode, keeperErrorMessage } from '../src/index.js';

describe('error helpers', () => {
  it('names codes like KeeperException.Code', () => {
    expect(errorName(-101)).toBe('NONODE');
    expect(errorName(0)).toBe('OK');
    expect(errorName(ErrorCode.THROTTLEDOP)).toBe('THROTTLEDOP');
    expect(errorName(-9999)).toBe('UNKNOWN(-9999)');
  });

  it('formats messages like KeeperException.getMessage', () => {
    expect(keeperErrorMessage(-101, '/x')).toBe('KeeperErrorCode = NoNode for /x');
    expect(keeperErrorMessage(-111, '/x')).toBe('KeeperErrorCode = Directory not empty for /x');
    expect(keeperErrorMessage(-4)).toBe('KeeperErrorCode = ConnectionLoss');
    expect(keeperErrorMessage(-110, '')).toBe('KeeperErrorCode = NodeExists');
    // getCodeMessage has no case for these two in 3.8
    expect(errorMessage(-12)).toBe('Unknown error UNKNOWNSESSION');
    expect(errorMessage(-122)).toBe('Unknown error REQUESTTIMEOUT');
    expect(errorMessage(-9999)).toBe('Unknown error -9999');
  });

  it('every ErrorCode has a message', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(isKnownErrorCode(code)).toBe(true);
      expect(errorMessage(code)).not.toMatch(/^Unknown error -?\d+$/);
    }
  });
});
