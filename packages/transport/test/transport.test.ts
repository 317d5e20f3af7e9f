import { describe, expect, it } from 'vitest';
import { isTransport, transportSymbol, type Transport } from '../src/index.js';

describe('transport brand', () => {
  it('is the registered symbol for @zk/transport', () => {
    expect(transportSymbol).toBe(Symbol.for('@zk/transport'));
  });

  it('recognises any object carrying the brand', () => {
    const transport: Transport = {
      [transportSymbol]: true,
      [Symbol.toStringTag]: 'fake',
      listen: () => Promise.reject(new Error('unused')),
      dial: () => Promise.reject(new Error('unused')),
    };
    expect(isTransport(transport)).toBe(true);
    // A copy from another bundle still uses Symbol.for, so it matches too.
    expect(isTransport({ [Symbol.for('@zk/transport')]: true })).toBe(true);
  });

  it('rejects everything else', () => {
    for (const value of [undefined, null, 1, 'transport', {}, { [transportSymbol]: 'yes' }, { listen() {}, dial() {} }]) {
      expect(isTransport(value)).toBe(false);
    }
  });
});
