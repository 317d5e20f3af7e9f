import type { Zxid } from '@zk/zxid';

/** A stored, complete snapshot. */
export interface SnapshotInfo {
  /** The last zxid applied to the tree when the (fuzzy) snapshot started. Replay from `zxid + 1n`. */
  readonly zxid: Zxid;
  /** Content size in bytes (without any framing the backend adds). */
  readonly size: number;
  /** Backend name of the snapshot, e.g. `snapshot.100000003`. */
  readonly name: string;
}

/** What `save` accepts: one buffer, or chunks (sync or async) streamed as the tree serializes. */
export type SnapshotData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Snapshots of the state machine, named by zxid.
 *
 * ## Contract
 *
 * - `save` is atomic: until its promise resolves the snapshot is invisible to `latest`, `list`
 *   and to a restarted store; after it resolves the snapshot is durable. A save whose data
 *   iterable throws, or that is interrupted by a crash, leaves nothing visible behind.
 *   Saving again at the same zxid replaces the snapshot.
 * - Chunks are consumed in order; a chunk must stay unchanged until the iterator is advanced
 *   past it (the store copies or writes it before pulling the next one).
 * - `latest()` returns the valid snapshot with the highest zxid, checking content checksums;
 *   invalid newer ones are skipped with a warning (ZooKeeper falls back the same way).
 * - `open(info)` streams the content. Buffers yielded belong to the caller. Checksums are
 *   verified as the stream ends: a stream that throws {@link CorruptSnapshotError} must not be
 *   trusted, even partly.
 * - `list()` returns complete snapshots (cheap structural check, no content checksum), oldest first.
 * - `remove` deletes a snapshot (no error if it is already gone).
 */
export interface SnapshotStore {
  save(zxid: Zxid, data: SnapshotData): Promise<SnapshotInfo>;
  latest(): Promise<SnapshotInfo | undefined>;
  open(info: SnapshotInfo): AsyncIterable<Uint8Array>;
  list(): Promise<SnapshotInfo[]>;
  remove(info: SnapshotInfo): Promise<void>;
}
