import { describe, expect, it } from 'vitest';

describe('scaffold', () => {
  it('loads', () => {
    expect(1).toBe(1);
  });
});
