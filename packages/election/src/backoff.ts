/**
 * Timing of fast leader election, in ticks. ZooKeeper's constants are in
 * milliseconds (FastLeaderElection.java): `finalizeWait` = 200 ms, and the
 * notification interval starts at `minNotificationInterval` (200 ms) and
 * doubles up to `maxNotificationInterval` (60 s) each time a poll for
 * notifications times out.
 */
export interface ElectionTimings {
  /**
   * Ticks to wait, once a quorum backs our proposal, for a better notification
   * before deciding. 0 decides at once.
   */
  readonly finalizeWaitTicks: number;
  /** First re-send interval: ticks without any notification before re-sending our vote. */
  readonly minNotificationTicks: number;
  /** Cap of the doubling re-send interval. */
  readonly maxNotificationTicks: number;
}

export const ZK_FINALIZE_WAIT_MS = 200;
export const ZK_MIN_NOTIFICATION_INTERVAL_MS = 200;
export const ZK_MAX_NOTIFICATION_INTERVAL_MS = 60_000;

/**
 * ZooKeeper's timings expressed in ticks of `tickMs` milliseconds, rounded
 * up (a wait is never shorter than ZooKeeper's). Override any of the three in
 * milliseconds (ZooKeeper's `zookeeper.fastleader.minNotificationInterval` /
 * `maxNotificationInterval` system properties).
 */
export function electionTimingsForTick(
  tickMs: number,
  overridesMs: { finalizeWaitMs?: number; minNotificationMs?: number; maxNotificationMs?: number } = {},
): ElectionTimings {
  if (!(tickMs > 0) || !Number.isFinite(tickMs)) throw new RangeError(`tickMs must be positive, got ${tickMs}`);
  const toTicks = (ms: number): number => Math.max(1, Math.ceil(ms / tickMs));
  const finalizeWaitTicks = toTicks(overridesMs.finalizeWaitMs ?? ZK_FINALIZE_WAIT_MS);
  const minNotificationTicks = toTicks(overridesMs.minNotificationMs ?? ZK_MIN_NOTIFICATION_INTERVAL_MS);
  const maxNotificationTicks = Math.max(
    minNotificationTicks,
    toTicks(overridesMs.maxNotificationMs ?? ZK_MAX_NOTIFICATION_INTERVAL_MS),
  );
  return { finalizeWaitTicks, minNotificationTicks, maxNotificationTicks };
}

export function validateTimings(t: ElectionTimings): void {
  const { finalizeWaitTicks: f, minNotificationTicks: lo, maxNotificationTicks: hi } = t;
  if (!Number.isSafeInteger(f) || f < 0) throw new RangeError(`finalizeWaitTicks must be an integer >= 0, got ${f}`);
  if (!Number.isSafeInteger(lo) || lo < 1) throw new RangeError(`minNotificationTicks must be an integer >= 1, got ${lo}`);
  if (!Number.isSafeInteger(hi) || hi < lo) {
    throw new RangeError(`maxNotificationTicks must be an integer >= minNotificationTicks, got ${hi}`);
  }
}

/** The next re-send interval: doubled, capped at `maxTicks`. */
export function nextNotificationInterval(currentTicks: number, maxTicks: number): number {
  return Math.min(currentTicks * 2, maxTicks);
}

/**
 * The re-send timer of one election round: counts ticks since the last
 * notification; when the count reaches the interval it fires (the caller
 * re-sends its vote) and the interval doubles. Receiving a notification resets
 * the count but not the interval, as ZooKeeper's `recvqueue.poll(notTimeout)`
 * loop does.
 */
export class NotificationTimer {
  private interval: number;
  private idle = 0;

  constructor(
    private readonly minTicks: number,
    private readonly maxTicks: number,
  ) {
    this.interval = minTicks;
  }

  get intervalTicks(): number {
    return this.interval;
  }

  get idleTicks(): number {
    return this.idle;
  }

  /** A new round: back to the minimum interval. */
  reset(): void {
    this.interval = this.minTicks;
    this.idle = 0;
  }

  /** A notification arrived. */
  onNotification(): void {
    this.idle = 0;
  }

  /** One tick passed with nothing received; true when the vote must be re-sent. */
  onTick(): boolean {
    this.idle++;
    if (this.idle < this.interval) return false;
    this.idle = 0;
    this.interval = nextNotificationInterval(this.interval, this.maxTicks);
    return true;
  }
}
