// The crash oracle: what clients attempted and what the server acknowledged, per znode, and the
// check of a recovered server's state against it.
//
// Every test znode is written by one client session at a time, so its writes form a line:
// write 0 is the create, write j (j >= 1) a setData with version -1. A write's data names the
// node and its index (`<path>|<j>|<filler>`), so whatever the server holds tells which write it is.
// Because the log keeps a prefix and a session's writes are applied in order, a node that holds
// write j has version j.
//
// After a crash (SIGKILL; the disk keeps every synced byte):
//   - every acknowledged write is present: the node holds write j >= its highest acknowledged
//     write (a later write of the same line is fine: logged, applied, reply lost);
//   - the data is exactly one the line attempted, and the version is j;
//   - nothing else exists under the test root (no znode no client tried to create).
// After the log was truncated (simulated loss of synced bytes), acknowledged writes may be lost,
// but only as a prefix: with L the server's last zxid after recovery, every node holds a write j
// with (highest acknowledged write whose zxid <= L) <= j < (lowest acknowledged write whose
// zxid > L); nothing beyond L survived and nothing before it is missing.

export interface WriteAttempt {
  data: string;
  /** zxid from the reply when acknowledged, or the mzxid seen at a verification. */
  zxid?: bigint;
  /** A client got a successful reply for it. */
  acked?: boolean;
}

export interface NodeLine {
  readonly path: string;
  /** Attempted writes in order; index = the version the node has once that write is applied. */
  writes: WriteAttempt[];
  /** Highest acknowledged index, -1 for none. */
  acked: number;
  /**
   * Index observed at the last verification (-1: known absent, undefined: never verified).
   * Writes up to it are settled; later attempts restart from it.
   */
  settled: number | undefined;
}

export function dataFor(path: string, index: number, filler: string): string {
  return `${path}|${index}|${filler}`;
}

/** Parses `<path>|<index>|...`; undefined when the data is not of that shape. */
export function parseData(data: string): { path: string; index: number } | undefined {
  const a = data.indexOf('|');
  if (a < 0) return undefined;
  const b = data.indexOf('|', a + 1);
  if (b < 0) return undefined;
  const index = Number(data.slice(a + 1, b));
  if (!Number.isInteger(index) || index < 0) return undefined;
  return { path: data.slice(0, a), index };
}

/** What the verifier read back for one node: absent, or its data and version. */
export type Observed = { exists: false } | { exists: true; data: string; version: number; mzxid: bigint };

export interface Violation {
  path: string;
  kind: 'lost-ack' | 'beyond-prefix' | 'unknown-data' | 'bad-version' | 'bad-zxid' | 'phantom' | 'wrong-node' | 'regressed';
  detail: string;
}

export class Oracle {
  readonly nodes = new Map<string, NodeLine>();
  acknowledged = 0;
  attempted = 0;

  /** Registers a new line (a create about to be attempted). */
  line(path: string): NodeLine {
    let n = this.nodes.get(path);
    if (n === undefined) {
      n = { path, writes: [], acked: -1, settled: undefined };
      this.nodes.set(path, n);
    }
    return n;
  }

  /** Records an attempt; returns its index. */
  attempt(n: NodeLine, data: string): number {
    n.writes.push({ data });
    this.attempted++;
    return n.writes.length - 1;
  }

  ack(n: NodeLine, index: number, zxid: bigint): void {
    n.writes[index]!.zxid = zxid;
    n.writes[index]!.acked = true;
    if (index > n.acked) n.acked = index;
    this.acknowledged++;
  }

  /**
   * Checks one node against what was read back. `lastZxid` (the server's after recovery) turns
   * on the prefix rule for truncation runs; without it every acknowledged write must be there.
   */
  check(n: NodeLine, seen: Observed, lastZxid?: bigint): Violation[] {
    const out: Violation[] = [];
    // lo: lowest index the node may hold (-1: it may be absent); hi: the highest.
    let lo: number;
    let hi = n.writes.length - 1;
    if (lastZxid === undefined) {
      lo = Math.max(n.settled ?? -1, n.acked);
    } else {
      // Synced bytes were lost: only the zxids say what must (<= L) and must not (> L) be there.
      lo = -1;
      for (let i = 0; i < n.writes.length; i++) {
        const z = n.writes[i]!.zxid;
        if (z === undefined) continue;
        if (z <= lastZxid) lo = Math.max(lo, i);
        else hi = Math.min(hi, i - 1);
      }
    }
    // below an acknowledged write: lost; below only what an earlier verification saw: regressed
    const kindBelow = (): Violation['kind'] => (n.acked >= lo ? 'lost-ack' : 'regressed');
    if (!seen.exists) {
      if (lo >= 0) out.push({ path: n.path, kind: kindBelow(), detail: `absent, but write ${lo} ${describe(n, lo)} must be there` });
      return out;
    }
    const parsed = parseData(seen.data);
    if (parsed === undefined || parsed.path !== n.path) {
      out.push({ path: n.path, kind: 'wrong-node', detail: `holds data that is not this node's: ${JSON.stringify(seen.data.slice(0, 80))}` });
      return out;
    }
    const j = parsed.index;
    const w = n.writes[j];
    if (w === undefined || w.data !== seen.data) {
      out.push({ path: n.path, kind: 'unknown-data', detail: `holds write ${j}, which no client attempted with this data` });
      return out;
    }
    if (seen.version !== j) out.push({ path: n.path, kind: 'bad-version', detail: `holds write ${j} with version ${seen.version} (expected ${j})` });
    if (w.zxid !== undefined && w.zxid !== seen.mzxid) {
      out.push({ path: n.path, kind: 'bad-zxid', detail: `holds write ${j} with mzxid 0x${seen.mzxid.toString(16)}, acknowledged at 0x${w.zxid.toString(16)}` });
    }
    if (j < lo) out.push({ path: n.path, kind: kindBelow(), detail: `holds write ${j}, but write ${lo} ${describe(n, lo)} must be there` });
    if (j > hi) out.push({ path: n.path, kind: 'beyond-prefix', detail: `holds write ${j}, beyond the recovered prefix (write ${hi + 1} has a zxid above the last one)` });
    return out;
  }

  /** After a verification: the observed state becomes the settled one; unapplied attempts are gone. */
  settle(n: NodeLine, seen: Observed): void {
    if (!seen.exists) {
      n.settled = -1;
      n.writes.length = 0;
      n.acked = -1;
      return;
    }
    const j = parseData(seen.data)?.index ?? n.writes.length - 1;
    n.settled = j;
    // After an inconsistent recovery (a failed check) the node may hold a write the oracle had
    // already forgotten: keep the line indexable whatever it shows.
    for (let i = n.writes.length; i <= j; i++) n.writes.push({ data: i === j ? seen.data : '' });
    n.writes.length = j + 1;
    if (n.writes[j]!.data !== seen.data) n.writes[j] = { data: seen.data };
    // the write's zxid, for later truncation runs, even when its reply was lost
    n.writes[j]!.zxid = seen.mzxid;
    n.acked = Math.min(n.acked, j);
  }

  /** Children of the test root that no line accounts for. */
  phantoms(root: string, children: readonly string[]): Violation[] {
    const out: Violation[] = [];
    for (const c of children) {
      const p = `${root}/${c}`;
      const n = this.nodes.get(p);
      if (n === undefined || n.writes.length === 0) out.push({ path: p, kind: 'phantom', detail: 'exists, but no client attempted to create it' });
    }
    return out;
  }
}

function describe(n: NodeLine, i: number): string {
  const w = n.writes[i];
  if (w?.zxid === undefined) return '(seen at an earlier verification)';
  return `(zxid 0x${w.zxid.toString(16)})`;
}
