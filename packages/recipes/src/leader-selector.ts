// Leader election as Curator's LeaderSelector (kazoo's Election.run): candidates queue on a
// mutex; the holder runs the leadership task and leadership ends when the task returns. The task
// gets a signal that aborts when leadership can no longer be trusted: the connection was
// suspended or the session lost (Curator's default: cancel on SUSPENDED and LOST), or close().

import { Emitter } from './emitter.js';
import { LostError } from './errors.js';
import { LOCK_NAME, Mutex } from './lock.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { participants, type Participant } from './leader-latch.js';
import { isSessionGone } from './retry.js';
import { sleep } from './wait.js';

/** What a leader does. Return to give leadership up; stop when `signal` aborts. */
export type LeadershipTask = (signal: AbortSignal) => void | Promise<void>;

export interface LeaderSelectorOptions {
  /** This candidate's id, stored in its node. Default ''. */
  readonly id?: string;
  /** Queue again each time leadership ends (Curator's autoRequeue). Default false: lead once. */
  readonly autoRequeue?: boolean;
}

export interface LeaderSelectorEvents {
  /** The task threw (other than after its signal aborted), or the selector cannot go on. */
  error: (err: unknown) => void;
}

export class LeaderSelector {
  private readonly managed: ManagedClient;
  private readonly events = new Emitter<LeaderSelectorEvents>();
  private readonly closing = new AbortController();
  private started = false;
  private queued = false;
  private running: Promise<void> | undefined;
  private leader = false;

  constructor(
    client: RecipeClient,
    readonly path: string,
    private readonly task: LeadershipTask,
    private readonly options: LeaderSelectorOptions = {},
  ) {
    this.managed = asManaged(client);
  }

  get hasLeadership(): boolean {
    return this.leader;
  }

  on<K extends keyof LeaderSelectorEvents>(event: K, listener: LeaderSelectorEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Queues for leadership (once, or for ever with autoRequeue). */
  start(): void {
    if (this.started) throw new Error(`LeaderSelector ${this.path} was already started`);
    this.started = true;
    this.requeue();
  }

  /** Queues again after leadership ended (without autoRequeue). No-op while queued or leading. */
  requeue(): void {
    if (!this.started || this.closing.signal.aborted) return;
    this.queued = true;
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Leaves the queue; a running task's signal aborts and close waits for it to return. */
  async close(): Promise<void> {
    this.closing.abort(new Error(`LeaderSelector ${this.path} closed`));
    await this.running;
  }

  /** Every candidate in line order; the first leads. */
  async getParticipants(): Promise<Participant[]> {
    return participants(await this.managed.connected(), this.path, LOCK_NAME);
  }

  private async run(): Promise<void> {
    const closing = this.closing.signal;
    for (let backoff = 50; this.queued && !closing.aborted; ) {
      this.queued = this.options.autoRequeue ?? false;
      try {
        await this.managed.connected({ signal: closing });
      } catch (err) {
        if (!closing.aborted) this.events.emit('error', err); // closed or lost for good
        return;
      }
      const mutex = new Mutex(this.managed, this.path, { data: this.options.id ?? '' });
      try {
        await mutex.acquire({ signal: closing });
      } catch (err) {
        if (closing.aborted) return;
        if (!isSessionGone(err) && !(err instanceof LostError)) this.events.emit('error', err);
        this.queued = true; // not our turn's fault: try again once the session allows
        await sleep(backoff, closing).catch(() => undefined);
        backoff = Math.min(backoff * 2, 2000);
        continue;
      }
      backoff = 50;
      await this.lead(mutex);
    }
  }

  private async lead(mutex: Mutex): Promise<void> {
    const leadership = new AbortController();
    const end = (reason: unknown): void => leadership.abort(reason);
    const offState = this.managed.onStateChange((state) => {
      if (state !== 'CONNECTED' && state !== 'RECONNECTED') end(new LostError(`leadership of ${this.path} ended: connection ${state}`, mutex.nodePath));
    });
    const onLost = (): void => end(mutex.signal.reason);
    const onClose = (): void => end(this.closing.signal.reason);
    mutex.signal.addEventListener('abort', onLost, { once: true });
    this.closing.signal.addEventListener('abort', onClose, { once: true });
    if (!this.managed.isConnected) end(new LostError(`leadership of ${this.path} ended: connection ${this.managed.state}`, mutex.nodePath));
    this.leader = true;
    try {
      await this.task(leadership.signal);
    } catch (err) {
      if (!leadership.signal.aborted) this.events.emit('error', err);
    } finally {
      this.leader = false;
      offState();
      mutex.signal.removeEventListener('abort', onLost);
      this.closing.signal.removeEventListener('abort', onClose);
      leadership.abort(new Error('leadership given up'));
      await mutex.release();
    }
  }
}
