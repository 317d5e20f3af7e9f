import { describe, expect, it } from 'vitest';
import { NotificationTimer } from '../src/backoff.js';
import { electionTimingsForTick, nextNotificationInterval } from '../src/index.js';

describe('notification back-off', () => {
  it('doubles up to the cap', () => {
    expect(nextNotificationInterval(2, 16)).toBe(4);
    expect(nextNotificationInterval(12, 16)).toBe(16);
    expect(nextNotificationInterval(16, 16)).toBe(16);
  });

  it('fires after an idle interval, then waits twice as long, up to the max', () => {
    const t = new NotificationTimer(2, 8);
    const fired: number[] = [];
    for (let tick = 1; tick <= 40; tick++) if (t.onTick()) fired.push(tick);
    // 2, +4, +8, +8, +8 ...
    expect(fired).toEqual([2, 6, 14, 22, 30, 38]);
    expect(t.intervalTicks).toBe(8);
  });

  it('a notification restarts the idle count but keeps the interval', () => {
    const t = new NotificationTimer(2, 8);
    expect(t.onTick()).toBe(false);
    expect(t.onTick()).toBe(true); // interval now 4
    t.onTick();
    t.onTick();
    t.onTick();
    t.onNotification();
    expect(t.idleTicks).toBe(0);
    expect(t.intervalTicks).toBe(4);
    expect([t.onTick(), t.onTick(), t.onTick(), t.onTick()]).toEqual([false, false, false, true]);
    t.reset();
    expect(t.intervalTicks).toBe(2);
  });

  it("maps ZooKeeper's 200 ms / 200 ms / 60 s onto ticks, rounding up", () => {
    expect(electionTimingsForTick(100)).toEqual({ finalizeWaitTicks: 2, minNotificationTicks: 2, maxNotificationTicks: 600 });
    expect(electionTimingsForTick(50)).toEqual({ finalizeWaitTicks: 4, minNotificationTicks: 4, maxNotificationTicks: 1200 });
    expect(electionTimingsForTick(300)).toEqual({ finalizeWaitTicks: 1, minNotificationTicks: 1, maxNotificationTicks: 200 });
    expect(electionTimingsForTick(100, { maxNotificationMs: 1000 }).maxNotificationTicks).toBe(10);
    expect(() => electionTimingsForTick(0)).toThrow(RangeError);
  });
});
