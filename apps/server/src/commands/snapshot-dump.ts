import { readSnapshotRecords, type SnapshotNodeRecord } from '@zk/datatree';
import { readSnapshotFile } from '@zk/storage-file';
import { UsageError, intOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { OutputBuffer, aclText, dataValue, hex, isoTime, shortData } from './dump-format.js';

interface Totals {
  nodes: number;
  bytes: number;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** `path` is `start` or below it. */
function within(path: string, start: string): boolean {
  return start === '/' || path === start || path.startsWith(start + '/');
}

function depthBelow(path: string, start: string): number {
  if (path === start) return 0;
  const rest = start === '/' ? path : path.slice(start.length);
  let d = 0;
  for (let i = 0; i < rest.length; i++) if (rest.charCodeAt(i) === 47) d++;
  return d;
}

export const snapshotDumpCommand: Command = {
  name: 'snapshot-dump',
  summary: 'print the znodes of a snapshot file (like zkSnapShotToolkit)',
  description: [
    'Prints a snapshot file (a snapshot.<zxid> file in <dataDir>/zkts-v1): its zxid, then every',
    'znode with a stat summary (czxid, mzxid, pzxid, times, versions, ephemeral owner, data',
    'length, children), then the sessions it holds. --data adds each node\'s data, --json gives',
    'one JSON object per line.',
    '',
    '--summary prints, like zkSnapshotRecursiveSummaryToolkit, the number of znodes and the total',
    'data bytes of each subtree from --path (default /) down to --depth levels (default 1).',
    '',
    'The snapshot\'s checksum is verified as the file ends. A snapshot is fuzzy: it was written',
    'while the server kept applying txns, so nodes may reflect txns after its zxid; recovery',
    'replays the log from zxid + 1. Exit codes: 0 read, 1 unreadable or damaged, 2 bad arguments.',
  ].join('\n'),
  positionals: [{ name: 'FILE', optional: false, description: 'a snapshot, e.g. data/zkts-v1/snapshot.100000a3f' }],
  options: {
    json: { type: 'boolean', description: 'JSON lines instead of text' },
    data: { type: 'boolean', description: 'include node data (text, or base64 when binary)' },
    summary: { type: 'boolean', description: 'node counts and data sizes per subtree instead of the nodes' },
    path: { type: 'string', valueName: 'path', description: 'with --summary: the subtree to start from (default /)' },
    depth: { type: 'string', valueName: 'n', description: 'with --summary: how many levels below --path to list (default 1)' },
  },
  async run({ rt }, args) {
    const file = args.positionals[0]!;
    const json = args.options['json'] === true;
    const withData = args.options['data'] === true;
    const summary = args.options['summary'] === true;
    const start = typeof args.options['path'] === 'string' ? args.options['path'] : '/';
    if (!start.startsWith('/') || (start.length > 1 && start.endsWith('/'))) throw new UsageError(`snapshot-dump: --path must be a znode path (got "${start}")`);
    const depth = intOption('snapshot-dump', 'depth', args.options['depth'], 1);
    const out = new OutputBuffer(rt.stdout);
    try {
      // numChildren (and the cversion clients see, 2 * stored - numChildren) need a first pass
      const children = new Map<string, number>();
      if (!summary) {
        const first = await readSnapshotFile(file);
        for await (const r of readSnapshotRecords(first.chunks)) {
          if (r.kind === 'node' && r.path !== '/') {
            const p = parentOf(r.path);
            children.set(p, (children.get(p) ?? 0) + 1);
          }
        }
      }
      const snap = await readSnapshotFile(file);
      const totals = new Map<string, Totals>();
      const sessions: Array<{ id: bigint; timeoutMs: number }> = [];
      const ephemerals = new Map<bigint, number>();
      const acls = new Map<number, string>([[-1, 'world:anyone:cdrwa']]);
      let nodes = 0;
      let bytes = 0;
      for await (const r of readSnapshotRecords(snap.chunks)) {
        switch (r.kind) {
          case 'header':
            if (json) out.line(JSON.stringify({ file, zxid: hex(r.zxid), formatVersion: r.version, size: snap.size }));
            else out.line(`zk-ts snapshot ${file}: zxid ${hex(r.zxid)}, format version ${r.version}, ${snap.size} bytes`);
            break;
          case 'session':
            sessions.push({ id: r.id, timeoutMs: r.timeoutMs });
            break;
          case 'acl':
            acls.set(r.id, aclText(r.acl));
            break;
          case 'node': {
            nodes++;
            const len = r.data === null ? 0 : r.data.length;
            bytes += len;
            // session ids are positive; containers (Long.MIN_VALUE) and TTL nodes (0xff...) are not
            const owner = r.stat.ephemeralOwner;
            if (owner > 0n) ephemerals.set(owner, (ephemerals.get(owner) ?? 0) + 1);
            if (summary) {
              if (!within(r.path, start)) break;
              // add to every listed ancestor (and the node itself when it is listed)
              let p = r.path;
              for (;;) {
                if (depthBelow(p, start) <= depth) {
                  const t = totals.get(p) ?? { nodes: 0, bytes: 0 };
                  t.nodes++;
                  t.bytes += len;
                  totals.set(p, t);
                }
                if (p === start || p === '/') break;
                p = parentOf(p);
              }
            } else {
              const acl = acls.get(r.aclId) ?? `?${r.aclId}`;
              out.line(json ? JSON.stringify(nodeJson(r, children, acl, withData)) : nodeText(r, children, acl, withData));
            }
            break;
          }
          case 'end':
            if (summary) {
              if (json) {
                out.line(JSON.stringify({ start, depth, subtrees: [...totals].map(([path, t]) => ({ path, nodes: t.nodes, dataBytes: t.bytes })) }));
              } else {
                out.line(`Subtrees of ${start} to depth ${depth} (znodes in the subtree including itself, data bytes):`);
                const width = Math.max(4, ...[...totals.keys()].map((k) => k.length));
                for (const [path, t] of [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
                  out.line(`${'  '.repeat(depthBelow(path, start))}${path.padEnd(width)}  nodes=${t.nodes}  dataBytes=${t.bytes}`);
                }
              }
            }
            if (json) {
              out.line(JSON.stringify({
                sessions: sessions.map((s) => ({ id: hex(s.id), timeoutMs: s.timeoutMs, ephemerals: ephemerals.get(s.id) ?? 0 })),
                nodes, dataBytes: bytes, digestZxid: hex(r.digestZxid), digest: hex(r.digest),
              }));
            } else {
              out.line(`Sessions: ${sessions.length}`);
              for (const s of sessions) out.line(`  ${hex(s.id)} timeout ${s.timeoutMs} ms, ${ephemerals.get(s.id) ?? 0} ephemerals`);
              out.line(`${nodes} znodes, ${bytes} data bytes; digest ${hex(r.digest)} at zxid ${hex(r.digestZxid)}; checksum ok`);
            }
            break;
        }
      }
    } catch (err) {
      out.flush();
      const e = err as NodeJS.ErrnoException;
      rt.stderr(`zkserver snapshot-dump: ${e.code === 'ENOENT' ? `cannot read ${file}: no such file` : e.message}\n`);
      return EXIT_FAILED;
    }
    out.flush();
    return EXIT_OK;
  },
};

function statFields(r: SnapshotNodeRecord, children: Map<string, number>): Record<string, string | number> {
  const s = r.stat;
  const n = children.get(r.path) ?? 0;
  return {
    czxid: hex(s.czxid),
    mzxid: hex(s.mzxid),
    pzxid: hex(s.pzxid),
    ctime: isoTime(s.ctime),
    mtime: isoTime(s.mtime),
    version: s.version,
    // stored as the number of child creations; clients see 2 * stored - numChildren
    cversion: (Math.imul(s.cversion, 2) - n) | 0,
    aversion: s.aversion,
    ephemeralOwner: hex(s.ephemeralOwner),
    dataLength: r.data === null ? 0 : r.data.length,
    numChildren: n,
  };
}

function nodeText(r: SnapshotNodeRecord, children: Map<string, number>, acl: string, withData: boolean): string {
  const f = statFields(r, children);
  const stat = Object.entries(f).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${r.path}  ${stat} acl=${acl}${withData ? ` data=${shortData(r.data, 200)}` : ''}`;
}

function nodeJson(r: SnapshotNodeRecord, children: Map<string, number>, acl: string, withData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { path: r.path, ...statFields(r, children), acl };
  if (withData) {
    const d = dataValue(r.data);
    out['data'] = d.data;
    if (d.encoding !== undefined) out['dataEncoding'] = d.encoding;
  }
  return out;
}
