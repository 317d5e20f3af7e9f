import type { Zxid } from '@zk/zxid';
import { CorruptSnapshotError, StorageClosedError } from '../errors.js';
import { snapshotName } from '../names.js';
import type { SnapshotData, SnapshotInfo, SnapshotStore } from '../snapshot-store.js';
import type { StorageLogger } from '../storage.js';
import type { MemoryDisk } from './memory-disk.js';

/** Collects snapshot data into one buffer, copying chunks as they arrive. */
export async function collectSnapshotData(data: SnapshotData): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data.slice();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data as AsyncIterable<Uint8Array>) {
    chunks.push(chunk.slice());
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export class MemorySnapshotStore implements SnapshotStore {
  closed = false;

  constructor(
    private readonly disk: MemoryDisk,
    private readonly generation: number,
    private readonly logger: StorageLogger,
  ) {}

  async save(zxid: Zxid, data: SnapshotData): Promise<SnapshotInfo> {
    this.checkOpen('snapshot save');
    const content = await collectSnapshotData(data);
    await this.disk.persist('snapshot', this.generation, 'snapshot save');
    this.disk.snapshots.set(zxid, { data: content, corrupt: false });
    return info(zxid, content.length);
  }

  async latest(): Promise<SnapshotInfo | undefined> {
    this.checkOpen('snapshot latest');
    const zxids = [...this.disk.snapshots.keys()].sort(descending);
    for (const zxid of zxids) {
      const snap = this.disk.snapshots.get(zxid)!;
      if (!snap.corrupt) return info(zxid, snap.data.length);
      this.logger.warn(`skipping corrupt snapshot ${snapshotName(zxid)}: checksum mismatch; falling back to an older one`);
    }
    return undefined;
  }

  open(snapshot: SnapshotInfo): AsyncIterable<Uint8Array> {
    this.checkOpen('snapshot open');
    const snap = this.disk.snapshots.get(snapshot.zxid);
    const name = snapshotName(snapshot.zxid);
    return {
      async *[Symbol.asyncIterator]() {
        if (snap === undefined) throw new CorruptSnapshotError(name, 'snapshot no longer exists');
        if (snap.corrupt) throw new CorruptSnapshotError(name, 'checksum mismatch');
        yield snap.data.slice();
      },
    };
  }

  async list(): Promise<SnapshotInfo[]> {
    this.checkOpen('snapshot list');
    return [...this.disk.snapshots.entries()]
      .sort(([a], [b]) => descending(b, a))
      .map(([zxid, snap]) => info(zxid, snap.data.length));
  }

  async remove(snapshot: SnapshotInfo): Promise<void> {
    this.checkOpen('snapshot remove');
    await this.disk.persist('snapshot', this.generation, 'snapshot remove');
    this.disk.snapshots.delete(snapshot.zxid);
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new StorageClosedError(operation);
  }
}

function info(zxid: Zxid, size: number): SnapshotInfo {
  return { zxid, size, name: snapshotName(zxid) };
}

function descending(a: Zxid, b: Zxid): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
