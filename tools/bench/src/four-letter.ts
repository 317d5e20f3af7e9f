// The `srvr` packet counter, for a server-side cross-check of the load generator's counts (the
// four-letter word itself is sent with @zk/testkit's fourLetterWord).

/** The "Received: N" packet counter of a `srvr` answer (ZooKeeper and zk-ts print it alike). */
export function receivedFromSrvr(text: string): number {
  const m = /^Received:\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/** A server's role as `srvr` reports it ("Mode: leader"), or null when it is not serving. */
export type ServerMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only';

/**
 * The "Mode:" line of a `srvr` answer; null for anything else (ZooKeeper answers "This ZooKeeper
 * instance is not currently serving requests" while it elects or syncs).
 */
export function modeFromSrvr(text: string): ServerMode | null {
  const m = /^Mode:\s*(\S+)/m.exec(text);
  if (!m) return null;
  const mode = m[1]!.toLowerCase();
  return mode === 'leader' || mode === 'follower' || mode === 'observer' || mode === 'standalone' || mode === 'read-only' ? mode : null;
}

/**
 * The index of the leader when the members' modes form a settled ensemble (exactly one leader,
 * every other member a follower or observer), else -1.
 */
export function settledLeader(modes: ReadonlyArray<ServerMode | null>): number {
  let leader = -1;
  for (let i = 0; i < modes.length; i++) {
    const m = modes[i];
    if (m === 'leader') {
      if (leader >= 0) return -1;
      leader = i;
    } else if (m !== 'follower' && m !== 'observer') {
      return -1;
    }
  }
  return leader;
}

/**
 * The longest run of empty buckets (no acknowledged write) in a timeline of per-bucket counts,
 * between the first and the last non-empty bucket: [start index, length in buckets]. [-1, 0] when
 * there is none.
 */
export function longestGap(buckets: readonly number[]): [number, number] {
  let first = -1;
  for (let i = 0; i < buckets.length; i++) {
    if ((buckets[i] ?? 0) > 0) {
      first = i;
      break;
    }
  }
  if (first < 0) return [-1, 0];
  let best: [number, number] = [-1, 0];
  let runStart = -1;
  for (let i = first; i < buckets.length; i++) {
    if ((buckets[i] ?? 0) === 0) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > best[1]) best = [runStart, i - runStart];
      runStart = -1;
    }
  }
  return best;
}
