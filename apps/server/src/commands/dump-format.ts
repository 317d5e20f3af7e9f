// Text and JSON renderings shared by `log-dump` and `snapshot-dump`.
import { OpCode, errorName, type ACL, type Txn, type TxnEntry } from '@zk/protocol';

const OP_NAMES = new Map<number, string>(Object.entries(OpCode).map(([name, code]) => [code as number, name]));

/** ZooKeeper's name for a txn type (TraceFormatter.op2String style). */
export function opName(type: number): string {
  return OP_NAMES.get(type) ?? `unknown(${type})`;
}

export function hex(v: bigint | number): string {
  const b = typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt(v >>> 0);
  return `0x${b.toString(16)}`;
}

export function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Data as UTF-8 text when it is printable UTF-8, else base64. */
export function dataValue(data: Uint8Array | null): { data: string | null; encoding?: 'base64' } {
  if (data === null) return { data: null };
  try {
    const s = decoder.decode(data);
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) return { data: s };
  } catch {
    // not UTF-8
  }
  return { data: Buffer.from(data).toString('base64'), encoding: 'base64' };
}

/** A short, one-line rendering of data: quoted text (cut at `max` chars) or `<N bytes>`. */
export function shortData(data: Uint8Array | null, max = 40): string {
  if (data === null) return 'null';
  const v = dataValue(data);
  if (v.encoding === 'base64') return `<${data.length} bytes>`;
  const s = v.data!;
  return s.length > max ? `${JSON.stringify(s.slice(0, max))}...(${data.length} bytes)` : JSON.stringify(s);
}

export function aclText(acl: readonly ACL[]): string {
  return acl.map((a) => `${a.id.scheme}:${a.id.id}:${permsText(a.perms)}`).join(',');
}

/** Perms as zkCli shows them: c d r w a. */
export function permsText(perms: number): string {
  let s = '';
  if (perms & 4) s += 'c';
  if (perms & 8) s += 'd';
  if (perms & 1) s += 'r';
  if (perms & 2) s += 'w';
  if (perms & 16) s += 'a';
  return s.length > 0 ? s : String(perms);
}

/** The path a txn touches, if any. */
export function txnPath(t: Txn): string | undefined {
  const b = t.txn as { path?: unknown } | null;
  return b !== null && typeof b === 'object' && typeof b.path === 'string' ? b.path : undefined;
}

/** One-line summary of a txn body after its type and path. */
export function txnSummary(t: Txn): string {
  switch (t.type) {
    case OpCode.create:
    case OpCode.create2:
      return `data=${shortData(t.txn.data)} acl=${aclText(t.txn.acl)}${t.txn.ephemeral ? ' ephemeral' : ''} parentCVersion=${t.txn.parentCVersion}`;
    case OpCode.createContainer:
      return `data=${shortData(t.txn.data)} acl=${aclText(t.txn.acl)} parentCVersion=${t.txn.parentCVersion}`;
    case OpCode.createTTL:
      return `data=${shortData(t.txn.data)} acl=${aclText(t.txn.acl)} parentCVersion=${t.txn.parentCVersion} ttl=${t.txn.ttl}`;
    case OpCode.delete:
    case OpCode.deleteContainer:
      return '';
    case OpCode.setData:
    case OpCode.reconfig:
      return `data=${shortData(t.txn.data)} version=${t.txn.version}`;
    case OpCode.check:
      return `version=${t.txn.version}`;
    case OpCode.setACL:
      return `acl=${aclText(t.txn.acl)} version=${t.txn.version}`;
    case OpCode.createSession:
      return `timeOut=${t.txn.timeOut}`;
    case OpCode.closeSession:
      return t.txn === null ? '' : `paths2Delete=[${(t.txn.paths2Delete ?? []).join(',')}]`;
    case OpCode.error:
      return `err=${errorName(t.txn.err)}`;
    case OpCode.multi:
      return `[${t.txn.txns.map((s) => [opName(s.type), txnPath(s), s.type === OpCode.error ? errorName(s.txn.err) : s.type === OpCode.setData ? `v${s.txn.version}` : undefined].filter((x) => x !== undefined).join(' ')).join(', ')}]`;
    default:
      return '';
  }
}

/** One text line per txn, zkTxnLogToolkit style (fields in a fixed order). */
export function txnLine(e: TxnEntry): string {
  const h = e.header;
  const path = txnPath(e.txn);
  const summary = txnSummary(e.txn);
  return [hex(h.zxid), isoTime(h.time), `session ${hex(h.clientId)}`, `cxid ${hex(h.cxid)}`, opName(h.type), path, summary]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
}

/** JSON-ready copy of a txn body: bigints as 0x hex, data as text or base64, ACLs kept. */
export function txnJson(t: Txn): Record<string, unknown> {
  const out: Record<string, unknown> = { type: opName(t.type) };
  const b = t.txn as Record<string, unknown> | null;
  if (b === null) return out;
  for (const [k, v] of Object.entries(b)) {
    if (k === 'txns' && Array.isArray(v)) out['txns'] = (v as Txn[]).map(txnJson);
    else if (k === 'data') {
      const d = dataValue(v as Uint8Array | null);
      out['data'] = d.data;
      if (d.encoding !== undefined) out['dataEncoding'] = d.encoding;
    } else if (k === 'err' && typeof v === 'number') {
      out['err'] = v;
      out['errName'] = errorName(v);
    } else if (typeof v === 'bigint') out[k] = hex(v);
    else out[k] = v;
  }
  return out;
}

export function entryJson(e: TxnEntry, offset?: number): Record<string, unknown> {
  const h = e.header;
  return {
    zxid: hex(h.zxid),
    time: h.time,
    timeIso: isoTime(h.time),
    session: hex(h.clientId),
    cxid: h.cxid,
    type: opName(h.type),
    ...(txnPath(e.txn) !== undefined ? { path: txnPath(e.txn) } : {}),
    txn: txnJson(e.txn),
    ...(e.digest !== undefined ? { digest: { version: e.digest.version, treeDigest: hex(e.digest.treeDigest) } } : {}),
    ...(offset !== undefined ? { offset } : {}),
  };
}

/** Buffers output and hands it to `write` in large pieces (a dump can be millions of lines). */
export class OutputBuffer {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (text: string) => void, private readonly limit = 64 * 1024) {}
  line(s: string): void {
    this.parts.push(s, '\n');
    this.size += s.length + 1;
    if (this.size >= this.limit) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
