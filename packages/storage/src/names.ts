import type { Zxid } from '@zk/zxid';

/**
 * File names used by backends, following ZooKeeper: the zxid in lower-case hex without `0x`.
 * A log segment is named after the first zxid it holds, a snapshot after its zxid.
 */
export const LOG_PREFIX = 'log.';
export const SNAPSHOT_PREFIX = 'snapshot.';

export function logSegmentName(firstZxid: Zxid): string {
  return LOG_PREFIX + firstZxid.toString(16);
}

export function snapshotName(zxid: Zxid): string {
  return SNAPSHOT_PREFIX + zxid.toString(16);
}

const HEX = /^[0-9a-f]{1,16}$/;

/** The zxid in a `log.<hex>` name, or undefined when `name` is not one. */
export function parseLogSegmentName(name: string): Zxid | undefined {
  return parseNamed(name, LOG_PREFIX);
}

/** The zxid in a `snapshot.<hex>` name, or undefined when `name` is not one. */
export function parseSnapshotName(name: string): Zxid | undefined {
  return parseNamed(name, SNAPSHOT_PREFIX);
}

function parseNamed(name: string, prefix: string): Zxid | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const hex = name.slice(prefix.length);
  return HEX.test(hex) ? BigInt('0x' + hex) : undefined;
}
