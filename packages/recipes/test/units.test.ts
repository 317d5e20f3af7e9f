// The pure pieces: sequence numbers, protected names, deadlines and wake-ups.

import { describe, expect, it } from 'vitest';
import { protectedName, sequenceOf, sortBySequence, unprotectedName, RecipeTimeoutError } from '../src/index.js';
import { Deadline, Wakeup } from '../src/wait.js';

describe('sequence numbers', () => {
  it('reads the 10-digit suffix ZooKeeper appends, negative after the int32 wraps', () => {
    expect(sequenceOf('lock-0000000042')).toBe(42);
    expect(sequenceOf('_c_0f8a7f52-1d1c-4d4e-9a0b-2b7d4b1c9e10-lock-2147483647')).toBe(2147483647);
    expect(sequenceOf('lock--000000001')).toBe(-1);
    expect(sequenceOf('ready')).toBeNaN();
  });

  it('sorts by sequence whatever the protected prefix, dropping names without one', () => {
    const a = protectedName('ffffffff-ffff-ffff-ffff-ffffffffffff', 'lock-') + '0000000003';
    const b = protectedName('00000000-0000-0000-0000-000000000000', 'lock-') + '0000000010';
    expect(sortBySequence([b, 'ready', a, 'lock-0000000007'])).toEqual([a, 'lock-0000000007', b]);
  });

  it('strips exactly the protected prefix', () => {
    const guid = '0f8a7f52-1d1c-4d4e-9a0b-2b7d4b1c9e10';
    expect(protectedName(guid, 'latch-')).toBe(`_c_${guid}-latch-`);
    expect(unprotectedName(`_c_${guid}-latch-0000000001`)).toBe('latch-0000000001');
    expect(unprotectedName('_c_short-latch-0000000001')).toBe('_c_short-latch-0000000001');
    expect(unprotectedName('lock-0000000001')).toBe('lock-0000000001');
  });
});

describe('Deadline and Wakeup', () => {
  it('timeoutMs 0 allows the attempt but not the wait', () => {
    const d = new Deadline({ timeoutMs: 0 }, 'trying');
    expect(d.signal).toBeUndefined();
    expect(() => d.beforeWaiting()).toThrow(RecipeTimeoutError);
    const forever = new Deadline({}, 'waiting');
    expect(() => forever.beforeWaiting()).not.toThrow();
  });

  it('a timeout aborts the signal with RecipeTimeoutError; the caller signal aborts with its reason', async () => {
    const d = new Deadline({ timeoutMs: 10 }, 'waiting');
    await new Promise((r) => d.signal!.addEventListener('abort', r));
    expect(d.signal!.reason).toBeInstanceOf(RecipeTimeoutError);
    const c = new AbortController();
    const e = new Deadline({ signal: c.signal, timeoutMs: 60_000 }, 'waiting');
    c.abort('stop');
    expect(e.signal!.reason).toBe('stop');
    e.dispose();
  });

  it('keeps a wake-up that comes before the wait, and fails waits for good', async () => {
    const w = new Wakeup();
    w.wake();
    await w.wait();
    const pending = w.wait();
    w.fail(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
    await expect(w.wait()).rejects.toThrow('gone');
  });
});
