import type { Zxid } from '@zk/zxid';
import type { LogEntry } from '../txn-log.js';
import type { Storage } from '../storage.js';
import type { StorageComplianceSetup } from './setup.js';

/** What each group of compliance tests gets: the setup plus tracking of opened storages. */
export interface Harness {
  readonly setup: StorageComplianceSetup;
  fresh(): Promise<Storage>;
  reopen(previous: Storage): Promise<Storage>;
  /** Registers a storage produced by a hook so it is closed after the test. */
  track<T extends Storage>(storage: T): T;
  closeAll(): Promise<void>;
}

export function createHarness(setup: StorageComplianceSetup): Harness {
  const open: Storage[] = [];
  const track = <T extends Storage>(storage: T): T => {
    open.push(storage);
    return storage;
  };
  return {
    setup,
    track,
    fresh: async () => track(await setup.open()),
    reopen: async (previous) => track(await setup.reopen(previous)),
    closeAll: async () => {
      for (const s of open.splice(0)) await s.close().catch(() => undefined);
    },
  };
}

/** Deterministic record bytes for a zxid, `size` long (default 8 + low bits). */
export function recordFor(zxid: Zxid, size?: number): Uint8Array {
  const n = size ?? 8 + Number(zxid % 23n);
  const out = new Uint8Array(n);
  let x = Number(zxid & 0xffff_ffffn) ^ 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function appendRange(storage: Storage, from: bigint, to: bigint): void {
  for (let z = from; z <= to; z++) storage.txnLog.append(z, recordFor(z));
}

export async function readAll(storage: Storage, from: Zxid = 0n): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const entry of storage.txnLog.read(from)) out.push(entry);
  return out;
}

export async function zxidsOf(storage: Storage, from: Zxid = 0n): Promise<bigint[]> {
  return (await readAll(storage, from)).map((e) => e.zxid);
}

export function range(from: bigint, to: bigint): bigint[] {
  const out: bigint[] = [];
  for (let z = from; z <= to; z++) out.push(z);
  return out;
}

export async function concat(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Resolves `fn`'s promise, or the error it rejected with (also sync throws). */
export async function errorOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
