import { ErrorCode } from '@zk/protocol';
import { ExpiryQueue } from './expiry-queue.js';

/** A tracked session, as the tracker sees it. Owned by the tracker: read, do not mutate. */
export interface SessionInfo<O = unknown> {
  readonly id: bigint;
  /** The negotiated timeout the session was created (or restored) with. */
  readonly timeoutMs: number;
  /** Set once expiry or a closeSession is under way; a closing session can no longer be touched. */
  readonly closing: boolean;
  /** Whoever currently serves the session: a connection on this server, or a learner on the leader. */
  readonly owner: O | undefined;
  /** Bucket time at which the session expires unless touched, or undefined once it has expired. */
  readonly expiresAt: number | undefined;
}

/** Result of {@link SessionTracker.checkSession}: an ErrorCode value. */
export type SessionCheck = typeof ErrorCode.OK | typeof ErrorCode.SESSIONEXPIRED | typeof ErrorCode.SESSIONMOVED;

export interface SessionTrackerOptions {
  /** Width of the expiry buckets; ZooKeeper uses tickTime. */
  readonly tickTimeMs: number;
}

interface Session<O> {
  readonly id: bigint;
  readonly timeoutMs: number;
  closing: boolean;
  owner: O | undefined;
}

/**
 * The session table with tick-bucketed expiry (SessionTrackerImpl without its thread): the caller
 * passes `now` and calls {@link expire} when {@link nextExpirationTime} is reached, then proposes a
 * closeSession for every returned id and calls {@link remove} once that txn is applied.
 *
 * The owner type `O` is compared by identity (===), like ZooKeeper's Object owner.
 */
export class SessionTracker<O = unknown> {
  private readonly sessions = new Map<bigint, Session<O>>();
  private readonly queue: ExpiryQueue<Session<O>>;
  private closingCount = 0;

  constructor(options: SessionTrackerOptions) {
    this.queue = new ExpiryQueue(options.tickTimeMs);
  }

  get tickTimeMs(): number {
    return this.queue.expirationIntervalMs;
  }

  /**
   * Tracks a session and (re)schedules its expiry at `now + timeoutMs` (SessionTrackerImpl.trackSession).
   * Returns true if it was new. For an id already tracked, the stored timeout is kept but the expiry
   * is moved using the given timeout, exactly as ZooKeeper does.
   */
  add(sessionId: bigint, timeoutMs: number, now: number): boolean {
    let session = this.sessions.get(sessionId);
    const added = session === undefined;
    if (session === undefined) {
      session = { id: sessionId, timeoutMs, closing: false, owner: undefined };
      this.sessions.set(sessionId, session);
    }
    this.queue.update(session, timeoutMs, now);
    return added;
  }

  /**
   * Tracks every (id, timeout) pair, e.g. from a snapshot on startup, all expiring relative to `now`
   * (the SessionTrackerImpl constructor does the same with ZKDatabase's sessionsWithTimeouts).
   */
  restore(entries: Iterable<readonly [bigint, number]>, now: number): void {
    for (const [id, timeoutMs] of entries) this.add(id, timeoutMs, now);
  }

  /**
   * Pushes the session's expiry to `now + timeoutMs` (default: its own timeout). False if the session
   * is unknown or closing (SessionTrackerImpl.touchSession). ZooKeeper passes the timeout negotiated
   * for the current connection, which can differ from the stored one after a reconnect.
   */
  touch(sessionId: bigint, now: number, timeoutMs?: number): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return false;
    this.queue.update(session, timeoutMs ?? session.timeoutMs, now);
    return true;
  }

  /** Marks the session closing (no further touches). No-op for an unknown id. */
  setClosing(sessionId: bigint): void {
    const session = this.sessions.get(sessionId);
    if (session !== undefined && !session.closing) {
      session.closing = true;
      this.closingCount++;
    }
  }

  isClosing(sessionId: bigint): boolean {
    return this.sessions.get(sessionId)?.closing === true;
  }

  /** Forgets the session (its closeSession was applied). Returns whether it was tracked. */
  remove(sessionId: bigint): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return false;
    this.sessions.delete(sessionId);
    this.queue.remove(session);
    if (session.closing) this.closingCount--;
    return true;
  }

  has(sessionId: bigint): boolean {
    return this.sessions.has(sessionId);
  }

  get(sessionId: bigint): SessionInfo<O> | undefined {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return undefined;
    return {
      id: session.id,
      timeoutMs: session.timeoutMs,
      closing: session.closing,
      owner: session.owner,
      expiresAt: this.queue.expirationOf(session),
    };
  }

  /** The stored timeout, or undefined for an unknown session. */
  timeoutOf(sessionId: bigint): number | undefined {
    return this.sessions.get(sessionId)?.timeoutMs;
  }

  /**
   * Sessions whose bucket time is <= now, in bucket order. Each leaves the expiry queue and is marked
   * closing but stays tracked until {@link remove}; the caller proposes closeSession for each (the
   * expirer callback in SessionTrackerImpl.run). Sessions already closing are dropped from the queue
   * without being reported again: their closeSession is already under way.
   */
  expire(now: number): bigint[] {
    const expired = this.queue.poll(now);
    const ids: bigint[] = [];
    for (let i = 0; i < expired.length; i++) {
      const session = expired[i]!;
      if (session.closing) continue;
      session.closing = true;
      this.closingCount++;
      ids.push(session.id);
    }
    return ids;
  }

  /** When the earliest non-empty bucket expires; schedule the next {@link expire} for then. */
  nextExpirationTime(): number | undefined {
    return this.queue.nextExpirationTime();
  }

  /**
   * Makes `owner` the session's owner (SessionTrackerImpl.setOwner). SESSIONEXPIRED if the session is
   * unknown or closing, else OK.
   */
  setOwner(sessionId: bigint, owner: O): typeof ErrorCode.OK | typeof ErrorCode.SESSIONEXPIRED {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return ErrorCode.SESSIONEXPIRED;
    session.owner = owner;
    return ErrorCode.OK;
  }

  /**
   * ZooKeeper's checkSession for a request: SESSIONEXPIRED if the session is unknown or closing;
   * otherwise claims an unowned session for `owner`, and SESSIONMOVED if another owner holds it.
   *
   * SessionTrackerImpl signals an unknown id with an internal UnknownSessionException that the
   * quorum trackers (and checkGlobalSession) turn into SESSIONEXPIRED before a client sees it; use
   * {@link has} to tell the two apart.
   */
  checkSession(sessionId: bigint, owner: O): SessionCheck {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return ErrorCode.SESSIONEXPIRED;
    if (session.owner === undefined) {
      session.owner = owner;
    } else if (session.owner !== owner) {
      return ErrorCode.SESSIONMOVED;
    }
    return ErrorCode.OK;
  }

  /** Number of tracked sessions (closing ones included), as 4lw `mntr` zk_global_sessions reports. */
  get size(): number {
    return this.sessions.size;
  }

  /** Number of tracked sessions marked closing. */
  get closingSize(): number {
    return this.closingCount;
  }

  /** Number of non-empty expiry buckets (the "Sets (n)" of 4lw `dump`). */
  get bucketCount(): number {
    return this.queue.bucketCount;
  }

  /** Session ids in insertion order. */
  ids(): IterableIterator<bigint> {
    return this.sessions.keys();
  }

  /** (id, timeoutMs) pairs for snapshots, in insertion order. */
  *timeouts(): IterableIterator<[bigint, number]> {
    for (const session of this.sessions.values()) yield [session.id, session.timeoutMs];
  }

  /** Expiry buckets in time order with their session ids (getSessionExpiryMap; 4lw `dump`). */
  expiryBuckets(): Array<{ expiresAt: number; sessionIds: bigint[] }> {
    return this.queue.snapshotBuckets().map(({ expiresAt, items }) => ({
      expiresAt,
      sessionIds: items.map((s) => s.id),
    }));
  }
}
