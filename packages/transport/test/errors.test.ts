import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AddressInUseError,
  ConnectionClosedError,
  ConnectionRefusedError,
  ConnectionResetError,
  DialTimeoutError,
  TransportError,
  isTransportError,
} from '../src/index.js';

describe('transport errors', () => {
  const cases = [
    [ConnectionRefusedError, 'ConnectionRefusedError', 'ECONNREFUSED'],
    [ConnectionResetError, 'ConnectionResetError', 'ECONNRESET'],
    [ConnectionClosedError, 'ConnectionClosedError', 'ERR_CONNECTION_CLOSED'],
    [DialTimeoutError, 'DialTimeoutError', 'ETIMEDOUT'],
    [AbortError, 'AbortError', 'ABORT_ERR'],
    [AddressInUseError, 'AddressInUseError', 'EADDRINUSE'],
  ] as const;

  it.each(cases)('%o has a stable name and code', (ErrorClass, name, code) => {
    const err = new ErrorClass();
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.name).toBe(name);
    expect(err.code).toBe(code);
    expect(ErrorClass.code).toBe(code);
    expect(err.message.length).toBeGreaterThan(0);
    expect(isTransportError(err)).toBe(true);
    expect(isTransportError(err, code)).toBe(true);
    expect(String(err)).toContain(name);
  });

  it('keeps a cause', () => {
    const cause = new Error('root');
    expect(new ConnectionResetError('reset', { cause }).cause).toBe(cause);
  });

  it('recognises errors by name and code, not by class identity', () => {
    const foreign = Object.assign(new Error('from another copy'), { name: 'DialTimeoutError', code: 'ETIMEDOUT' });
    expect(isTransportError(foreign, 'ETIMEDOUT')).toBe(true);
    expect(isTransportError(foreign, 'ECONNREFUSED')).toBe(false);
  });

  it('does not take raw Node errors or other values for transport errors', () => {
    const raw = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isTransportError(raw)).toBe(false);
    expect(isTransportError(undefined)).toBe(false);
    expect(isTransportError('ECONNREFUSED')).toBe(false);
  });
});
