import type { NetworkContext } from './context.js';
import type { SchedulerHandle } from './scheduler.js';

/** A batch of bytes, or `null` for the end of the stream (FIN). */
export type Segment = Uint8Array[] | null;

interface InFlight {
  readonly dueAt: number;
  readonly segment: Segment;
}

/** Where a pipe hands its segments. */
export interface SegmentSink {
  receive(segment: Segment): void;
}

/**
 * One direction of one connection: segments in flight from host `from` to host
 * `to`, delivered in the order sent. Each segment is due `latencyMs` after it
 * was sent, but never before the segment ahead of it, so changing the latency
 * cannot reorder a stream. While the direction is blackholed segments wait in
 * the pipe; `kick()` after a heal resumes delivery.
 */
export class Pipe {
  readonly #context: NetworkContext;
  readonly #from: string;
  readonly #to: string;
  readonly #sink: SegmentSink;
  #inFlight: InFlight[] = [];
  #lastDueAt = Number.NEGATIVE_INFINITY;
  #timer: SchedulerHandle | undefined;
  #armed = false;

  constructor(context: NetworkContext, from: string, to: string, sink: SegmentSink) {
    this.#context = context;
    this.#from = from;
    this.#to = to;
    this.#sink = sink;
  }

  get idle(): boolean {
    return this.#inFlight.length === 0;
  }

  /**
   * Sends a segment. With `direct` (only from a scheduler callback, never from
   * a user call) a segment that is due now on an idle, open path is handed
   * over at once instead of through another scheduler turn.
   */
  send(segment: Segment, direct: boolean): void {
    const now = this.#context.scheduler.now();
    const dueAt = Math.max(now + this.#context.latencyMs, this.#lastDueAt);
    this.#lastDueAt = dueAt;
    if (direct && dueAt <= now && this.#inFlight.length === 0 && !this.#blocked()) {
      this.#sink.receive(segment);
      return;
    }
    this.#inFlight.push({ dueAt, segment });
    this.#arm();
  }

  /** Resumes delivery after a heal. */
  kick(): void {
    this.#arm();
  }

  /** Discards everything in flight (connection reset). */
  clear(): void {
    this.#inFlight = [];
    if (this.#armed) {
      this.#context.scheduler.clearTimeout(this.#timer);
      this.#armed = false;
      this.#timer = undefined;
    }
  }

  #blocked(): boolean {
    return this.#context.faults.blocked(this.#from, this.#to) === 'blackhole';
  }

  #arm(): void {
    if (this.#armed || this.#inFlight.length === 0 || this.#blocked()) return;
    const head = this.#inFlight[0] as InFlight;
    const delay = Math.max(0, head.dueAt - this.#context.scheduler.now());
    this.#armed = true;
    this.#timer = this.#context.scheduler.setTimeout(this.#fire, delay);
  }

  readonly #fire = (): void => {
    this.#armed = false;
    this.#timer = undefined;
    if (this.#blocked()) return;
    const head = this.#inFlight[0];
    if (head === undefined) return;
    // The timer was set for the head; everything due no later than it goes too.
    while (this.#inFlight.length > 0 && (this.#inFlight[0] as InFlight).dueAt <= head.dueAt) {
      const { segment } = this.#inFlight.shift() as InFlight;
      this.#sink.receive(segment);
      if (this.#blocked()) break;
    }
    this.#arm();
  };
}
