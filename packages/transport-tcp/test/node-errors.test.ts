import { describe, expect, it } from 'vitest';
import { mapDialError, mapListenError, mapSocketError } from '../src/node-errors.js';

function nodeError(code: string): Error {
  return Object.assign(new Error(`${code} from node`), { code });
}

const address = { host: '127.0.0.1', port: 2181 };

describe('node error mapping', () => {
  it('maps dial errors', () => {
    const refused = mapDialError(nodeError('ECONNREFUSED'), address);
    expect(refused).toMatchObject({ name: 'ConnectionRefusedError', code: 'ECONNREFUSED' });
    expect(refused.message).toContain('127.0.0.1:2181');
    expect((refused as Error & { cause?: unknown }).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(mapDialError(nodeError('ETIMEDOUT'), address)).toMatchObject({ name: 'DialTimeoutError' });
    expect(mapDialError(nodeError('ECONNRESET'), address)).toMatchObject({ name: 'ConnectionResetError' });
  });

  it('maps listen errors', () => {
    expect(mapListenError(nodeError('EADDRINUSE'), address)).toMatchObject({
      name: 'AddressInUseError',
      code: 'EADDRINUSE',
    });
  });

  it('maps socket errors', () => {
    expect(mapSocketError(nodeError('ECONNRESET'))).toMatchObject({ name: 'ConnectionResetError' });
    expect(mapSocketError(nodeError('EPIPE'))).toMatchObject({ name: 'ConnectionResetError' });
  });

  it('passes unknown errors through unchanged', () => {
    const other = nodeError('ENOTFOUND');
    expect(mapDialError(other, address)).toBe(other);
    expect(mapListenError(other, address)).toBe(other);
    expect(mapSocketError(other)).toBe(other);
  });
});
