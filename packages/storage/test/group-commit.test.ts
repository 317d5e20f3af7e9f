import { describe, expect, it } from 'vitest';
import { GroupCommit, isStorageError } from '../src/index.js';

/** A fake log whose batch writes the test completes by hand. */
function fakeLog() {
  let appended = 0n;
  let captured = 0n;
  let inFlight = 0;
  let maxInFlight = 0;
  const writes: Array<{ covers: bigint; finish: (err?: unknown) => void }> = [];
  const commit = new GroupCommit(
    {
      appendedZxid: () => appended,
      beginBatch: () => {
        if (appended <= captured) return undefined;
        const covers = appended;
        captured = covers;
        return {
          covers,
          write: () =>
            new Promise<void>((resolve, reject) => {
              inFlight++;
              maxInFlight = Math.max(maxInFlight, inFlight);
              writes.push({
                covers,
                finish: (err) => {
                  inFlight--;
                  if (err === undefined) resolve();
                  else reject(err);
                },
              });
            }),
        };
      },
    },
    0n,
  );
  return {
    commit,
    writes,
    append: (z: bigint) => {
      appended = z;
    },
    maxInFlight: () => maxInFlight,
    truncateTo: (z: bigint) => {
      appended = z;
      if (captured > z) captured = z;
    },
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('runs one batch at a time and coalesces waiting callers', async () => {
    const log = fakeLog();
    log.append(1n);
    const a = log.commit.sync();
    log.append(2n);
    const b = log.commit.sync();
    log.append(3n);
    const c = log.commit.sync();
    expect(log.writes.map((w) => w.covers)).toEqual([1n]);
    log.writes[0]!.finish();
    expect(await a).toBe(1n);
    expect(log.writes.map((w) => w.covers)).toEqual([1n, 3n]);
    log.writes[1]!.finish();
    expect(await Promise.all([b, c])).toEqual([3n, 3n]);
    expect(log.maxInFlight()).toBe(1);
    expect(log.commit.batchCount()).toBe(2);
  });

  it('latches the first failure for the running batch, queued and later syncs', async () => {
    const log = fakeLog();
    log.append(1n);
    const a = log.commit.sync();
    log.append(2n);
    const b = log.commit.sync();
    log.writes[0]!.finish(Object.assign(new Error('disk on fire'), { code: 'EIO' }));
    const errors = await Promise.all([a, b, log.commit.sync()].map((p) => p.then(() => undefined, (e: unknown) => e)));
    for (const err of errors) expect(isStorageError(err, 'STORAGE_FAILED')).toBe(true);
    expect(errors[0]).toBe(errors[1]);
    expect(log.commit.durableZxid()).toBe(0n);
    await tick();
    expect(log.writes).toHaveLength(1);
  });

  it('a truncation runs before an already queued batch and caps what the running batch marks durable', async () => {
    const log = fakeLog();
    const order: string[] = [];
    log.append(10n);
    const running = log.commit.sync();
    log.append(12n);
    const queued = log.commit.sync();
    const truncated = log.commit.truncation(5n, async () => {
      order.push(`truncate (writes so far: ${log.writes.length})`);
    });
    log.truncateTo(5n);
    log.append(6n);
    log.writes[0]!.finish();
    expect(await running).toBe(5n);
    await truncated;
    await tick();
    expect(order).toEqual(['truncate (writes so far: 1)']);
    expect(log.writes.map((w) => w.covers)).toEqual([10n, 6n]);
    log.writes[1]!.finish();
    expect(await queued).toBe(6n);
  });
});
