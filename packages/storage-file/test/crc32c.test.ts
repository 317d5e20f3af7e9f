import { describe, expect, it } from 'vitest';
import { crc32c, crc32cUpdate } from '../src/index.js';

// The CRC itself is @zk/crc's (tested there); this keeps the package's own exports honest.
describe('crc32c exports', () => {
  it('checksum the standard check value, in one pass and in pieces', () => {
    const data = Buffer.from('123456789');
    expect(crc32c(data)).toBe(0xe3069283);
    expect(crc32cUpdate(crc32cUpdate(0, data, 0, 4), data, 4)).toBe(0xe3069283);
    expect(crc32c(data, 0, 0)).toBe(0);
  });
});
