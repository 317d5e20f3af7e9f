// Quotas (Quotas.java, StatsTrack.java, common/PathTrie.java): limits live in
// /zookeeper/quota/<path>/zookeeper_limits, usage in /zookeeper/quota/<path>/zookeeper_stats.
import { QUOTA_PATH } from './path.js';
import { javaParseLong, javaSplit } from './java.js';

export const LIMIT_NODE = 'zookeeper_limits';
export const STAT_NODE = 'zookeeper_stats';

export function quotaLimitPath(path: string): string {
  return `${QUOTA_PATH}${path}/${LIMIT_NODE}`;
}
export function quotaStatPath(path: string): string {
  return `${QUOTA_PATH}${path}/${STAT_NODE}`;
}

/**
 * StatsTrack: "count=N,bytes=M" optionally followed by "=;key=value;..." for further keys
 * (countHardLimit, byteHardLimit). Missing keys read as -1.
 */
export class StatsTrack {
  readonly stats = new Map<string, bigint>();

  /** Parses like StatsTrack(String); throws on malformed numbers as Java does. */
  static parse(text: string): StatsTrack {
    const st = new StatsTrack();
    if (text.length === 0) return st;
    for (const pair of text.split(/[,;]+/)) {
      const kv = javaSplit(pair, '=');
      const key = kv[0] ?? '';
      if (kv.length < 2) throw new SyntaxError(`bad quota entry: ${pair}`);
      const raw = kv[1]!.length === 0 ? '-1' : kv[1]!;
      const v = javaParseLong(raw);
      if (v === null) throw new SyntaxError(`bad quota number: ${raw}`);
      st.stats.set(key, v);
    }
    return st;
  }

  static fromBytes(data: Uint8Array | null): StatsTrack {
    if (data === null) return StatsTrack.parse('');
    return StatsTrack.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  }

  get(key: string): bigint {
    return this.stats.get(key) ?? -1n;
  }
  set(key: string, v: bigint): void {
    this.stats.set(key, v);
  }
  get count(): bigint {
    return this.get('count');
  }
  set count(v: bigint) {
    this.set('count', v);
  }
  get bytes(): bigint {
    return this.get('bytes');
  }
  set bytes(v: bigint) {
    this.set('bytes', v);
  }
  get countHardLimit(): bigint {
    return this.get('countHardLimit');
  }
  get byteHardLimit(): bigint {
    return this.get('byteHardLimit');
  }

  toString(): string {
    let s = `count=${this.count},bytes=${this.bytes}`;
    const keys = [...this.stats.keys()].filter((k) => k !== 'count' && k !== 'bytes');
    if (keys.length > 0) {
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      s += '=';
      for (const k of keys) s += `;${k}=${this.stats.get(k)}`;
    }
    return s;
  }

  toBytes(): Uint8Array {
    return new Uint8Array(Buffer.from(this.toString(), 'utf8'));
  }
}

interface TrieNode {
  name: string;
  parent: TrieNode | null;
  property: boolean;
  children: Map<string, TrieNode>;
}

/** Segments as PathTrie splits them: on '/', dropping blank segments (Java trim). */
function segments(path: string): string[] {
  return path.split('/').filter((t) => t.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').length > 0);
}

/** The set of paths that carry a quota (PathTrie); findMaxPrefix gives the deepest one above a path. */
export class QuotaTrie {
  private readonly root: TrieNode = { name: '/', parent: null, property: false, children: new Map() };
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(path: string): void {
    if (path.length === 0) return;
    let node = this.root;
    for (const part of segments(path)) {
      let c = node.children.get(part);
      if (c === undefined) {
        c = { name: part, parent: node, property: false, children: new Map() };
        node.children.set(part, c);
      }
      node = c;
    }
    if (!node.property) this.count++;
    node.property = true;
  }

  delete(path: string): void {
    if (path.length === 0) return;
    let node = this.root;
    for (const part of segments(path)) {
      const c = node.children.get(part);
      if (c === undefined) return;
      node = c;
    }
    const parent = node.parent;
    if (parent === null) return;
    if (node.property) this.count--;
    node.property = false;
    if (node.children.size === 0) parent.children.delete(node.name);
  }

  /** The deepest quota path that is a prefix of `path`, or "/" when none. */
  findMaxPrefix(path: string): string {
    if (this.count === 0) return '/';
    let node: TrieNode | undefined = this.root;
    let deepest: TrieNode | null = null;
    for (const part of segments(path)) {
      node = node.children.get(part);
      if (node === undefined) break;
      if (node.property) deepest = node;
    }
    if (deepest === null) return '/';
    const parts: string[] = [];
    for (let n: TrieNode | null = deepest; n !== null && n !== this.root; n = n.parent) parts.push(n.name);
    return '/' + parts.reverse().join('/');
  }

  clear(): void {
    this.root.children.clear();
    this.count = 0;
  }
}
