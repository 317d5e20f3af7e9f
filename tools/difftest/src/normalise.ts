// Turns a recorded case (entries of frames) into text lines in which only what may legitimately
// differ between two correct servers has been replaced. See README.md "Normalisation" for the
// list and the reasons. Everything else is printed verbatim.

import type { Entry, Recorded } from './case.js';
import { OP_NAMES } from './requests.js';

export type ZxidMode = 'delta' | 'rank';

export interface NormContext {
  /** Case root, e.g. "/dt17": stripped from every path the server returns. */
  root: string;
  /** Last zxid processed before the case started (read by the control session). */
  baseZxid: bigint;
  /** Wall-clock window of the case, ms. */
  startMs: number;
  endMs: number;
  /** Session id of the runner's control session. */
  controlSessionId?: bigint;
  zxidMode?: ZxidMode;
  /** Keep the server's order of children/ephemerals lists (default: sort them). */
  keepListOrder?: boolean;
}

export const ERROR_NAMES: Record<number, string> = {
  0: 'OK', [-1]: 'SYSTEMERROR', [-2]: 'RUNTIMEINCONSISTENCY', [-3]: 'DATAINCONSISTENCY',
  [-4]: 'CONNECTIONLOSS', [-5]: 'MARSHALLINGERROR', [-6]: 'UNIMPLEMENTED', [-7]: 'OPERATIONTIMEOUT',
  [-8]: 'BADARGUMENTS', [-12]: 'UNKNOWNSESSION', [-13]: 'NEWCONFIGNOQUORUM', [-14]: 'RECONFIGINPROGRESS',
  [-100]: 'APIERROR', [-101]: 'NONODE', [-102]: 'NOAUTH', [-103]: 'BADVERSION',
  [-108]: 'NOCHILDRENFOREPHEMERALS', [-110]: 'NODEEXISTS', [-111]: 'NOTEMPTY', [-112]: 'SESSIONEXPIRED',
  [-113]: 'INVALIDCALLBACK', [-114]: 'INVALIDACL', [-115]: 'AUTHFAILED', [-118]: 'SESSIONMOVED',
  [-119]: 'NOTREADONLY', [-120]: 'EPHEMERALONLOCALSESSION', [-121]: 'NOWATCHER', [-122]: 'REQUESTTIMEOUT',
  [-123]: 'RECONFIGDISABLED', [-124]: 'SESSIONCLOSEDREQUIRESASLAUTH', [-125]: 'QUOTAEXCEEDED', [-127]: 'THROTTLEDOP',
};
export const EVENT_NAMES: Record<number, string> = {
  [-1]: 'None', 1: 'NodeCreated', 2: 'NodeDeleted', 3: 'NodeDataChanged', 4: 'NodeChildrenChanged',
  5: 'DataWatchRemoved', 6: 'ChildWatchRemoved', 7: 'PersistentWatchRemoved',
};
export const STATE_NAMES: Record<number, string> = {
  [-1]: 'Unknown', 0: 'Disconnected', 3: 'SyncConnected', 4: 'AuthFailed', 5: 'ConnectedReadOnly',
  6: 'SaslAuthenticated', [-112]: 'Expired', 7: 'Closed',
};

const ZXID_KEYS = new Set(['czxid', 'mzxid', 'pzxid']);
const LIST_KEYS = new Set(['children', 'ephemerals']);
const CONTAINER_OWNER = -0x8000000000000000n;
const TIME_SLACK_MS = 1500;

export function errName(err: number): string {
  return ERROR_NAMES[err] ?? `err(${err})`;
}

interface Stat {
  czxid: bigint; mzxid: bigint; ctime: number; mtime: number; version: number; cversion: number;
  aversion: number; ephemeralOwner: bigint; dataLength: number; numChildren: number; pzxid: bigint;
}

function isStat(v: unknown): v is Stat {
  return typeof v === 'object' && v !== null && 'czxid' in v && 'mzxid' in v && 'pzxid' in v;
}

/** Walks every value of a recorded frame. */
function walk(v: unknown, visit: (key: string, value: unknown, parent: unknown) => void, key = ''): void {
  visit(key, v, null);
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit, key));
  else if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
    for (const [k, x] of Object.entries(v)) walk(x, visit, k);
  }
}

export class Normaliser {
  private readonly sessions = new Map<bigint, string>();
  private readonly oldZxids: bigint[] = [];
  private readonly allZxids: bigint[] = [];
  private readonly timeline: Array<{ zxid: bigint; t: number }> = [];
  private readonly mode: ZxidMode;
  private nextSession = 1;

  constructor(private readonly ctx: NormContext) {
    this.mode = ctx.zxidMode ?? 'delta';
    if (ctx.controlSessionId !== undefined) this.sessions.set(ctx.controlSessionId, 'ctl');
  }

  /** First pass: learn session ids (in order of appearance) and the zxids used. */
  private learn(entries: Entry[]): void {
    const old = new Set<bigint>();
    const all = new Set<bigint>();
    const noteZxid = (z: bigint): void => {
      if (z <= 0n) return;
      all.add(z);
      if (z < this.ctx.baseZxid) old.add(z);
    };
    for (const e of entries) {
      if (e.kind !== 'step') continue;
      for (const { frame } of e.frames) {
        if (frame.kind === 'connected' && frame.sessionId !== 0n && !this.sessions.has(frame.sessionId)) {
          this.sessions.set(frame.sessionId, `S${this.nextSession++}`);
        }
        if (frame.kind === 'reply' || frame.kind === 'event' || frame.kind === 'unmatched') noteZxid(frame.zxid);
        walk(frame, (k, v) => {
          if (ZXID_KEYS.has(k) && typeof v === 'bigint') noteZxid(v);
          if (isStat(v)) {
            if (v.czxid > 0n) this.timeline.push({ zxid: v.czxid, t: v.ctime });
            if (v.mzxid > 0n) this.timeline.push({ zxid: v.mzxid, t: v.mtime });
          }
        });
      }
    }
    this.oldZxids.push(...[...old].sort(cmpBig));
    this.allZxids.push(...[...all].sort(cmpBig));
  }

  zxid(z: bigint): string {
    if (z <= 0n) return String(z);
    if (this.mode === 'rank') return `z${this.allZxids.indexOf(z) + 1}`;
    if (z >= this.ctx.baseZxid) return `+${z - this.ctx.baseZxid}`;
    return `old${this.oldZxids.indexOf(z) + 1}`;
  }

  session(id: bigint): string {
    if (id === 0n) return '0';
    const known = this.sessions.get(id);
    if (known) return known;
    if (id === CONTAINER_OWNER) return 'CONTAINER';
    if (id >> 56n === -1n || (id >> 56n) === 0xffn) return `TTL(${id & 0xffffffffffffffn})`;
    return 'S?';
  }

  time(t: number): string {
    if (t === 0) return '0';
    if (t < this.ctx.startMs - TIME_SLACK_MS) return 'past';
    if (t > this.ctx.endMs + TIME_SLACK_MS) return 'FUTURE';
    return 'now';
  }

  path(p: string): string {
    const root = this.ctx.root;
    if (p === root) return '/';
    if (p.startsWith(root + '/')) return p.slice(root.length);
    return p;
  }

  stat(s: Stat): string {
    const back = s.mtime < s.ctime ? ' MTIME<CTIME' : '';
    return (
      `{c=${this.zxid(s.czxid)} m=${this.zxid(s.mzxid)} p=${this.zxid(s.pzxid)} ` +
      `ctime=${this.time(s.ctime)} mtime=${this.time(s.mtime)}${back} ` +
      `v=${s.version} cv=${s.cversion} av=${s.aversion} owner=${this.session(s.ephemeralOwner)} ` +
      `len=${s.dataLength} kids=${s.numChildren}}`
    );
  }

  value(key: string, v: unknown): string {
    if (isStat(v)) return this.stat(v);
    if (typeof v === 'bigint') {
      if (ZXID_KEYS.has(key) || key === 'zxid') return this.zxid(v);
      if (key === 'ephemeralOwner' || key === 'sessionId') return this.session(v);
      return String(v);
    }
    if (typeof v === 'string') {
      const p = this.path(v);
      return /^[\x20-\x7e]*$/.test(p) ? p : JSON.stringify(p);
    }
    if (v === null || v === undefined) return String(v);
    if (Array.isArray(v)) {
      let items = v.map((x) => this.value(key, x));
      if (LIST_KEYS.has(key) && !this.ctx.keepListOrder) items = [...items].sort();
      return `[${items.join(', ')}]`;
    }
    if (typeof v === 'object') {
      return (
        '{' +
        Object.entries(v)
          .map(([k, x]) => `${k}=${k === 'err' || k === 'errBody' ? errName(x as number) : this.value(k, x)}`)
          .join(' ') +
        '}'
      );
    }
    return String(v);
  }

  frame(f: Recorded): string[] {
    switch (f.kind) {
      case 'connected': {
        const pw = f.passwd === null ? 'null' : `${f.passwd.length}B`;
        const parts = [
          `connected proto=${f.protocolVersion} timeOut=${f.timeOut} session=${this.session(f.sessionId)} passwd=${pw}`,
          `readOnly=${f.readOnly === null ? '<absent>' : f.readOnly}`,
        ];
        if (f.trailing) parts.push(`TRAILING=0x${f.trailing}`);
        if (f.decodeError) parts.push(`DECODE-ERROR ${f.decodeError}`);
        return [parts.join(' ')];
      }
      case 'reply': {
        const head = `reply ${OP_NAMES[f.op] ?? `op(${f.op})`} xid=${f.xid} zxid=${this.zxid(f.zxid)} ${errName(f.err)}`;
        const lines: string[] = [];
        let body = '';
        const results = (f.body as { results?: unknown[] } | undefined)?.results;
        if (f.body !== undefined && !Array.isArray(results)) {
          const entries = Object.entries(f.body as object);
          if (entries.length) body = ' ' + entries.map(([k, v]) => `${k}=${this.value(k, v)}`).join(' ');
        }
        lines.push(head + body + (f.trailing ? ` TRAILING=0x${f.trailing}` : '') + (f.decodeError ? ` DECODE-ERROR ${f.decodeError}` : ''));
        if (Array.isArray(results)) {
          results.forEach((r, i) => lines.push(`  [${i}] ${this.value('result', r)}`));
        }
        return lines;
      }
      case 'event':
        return [
          `event ${EVENT_NAMES[f.type] ?? `type(${f.type})`} ${STATE_NAMES[f.state] ?? `state(${f.state})`} ` +
            `path=${f.path === null ? 'null' : this.path(f.path)} zxid=${this.zxid(f.zxid)} ${errName(f.err)}` +
            (f.trailing ? ` TRAILING=0x${f.trailing}` : ''),
        ];
      case 'unmatched':
        return [`UNMATCHED reply xid=${f.xid} zxid=${this.zxid(f.zxid)} ${errName(f.err)} body=0x${f.hex}`];
      case 'closed':
        return ['connection closed by server'];
      case 'garbage':
        return [`GARBAGE (${f.reason}) 0x${f.hex}`];
      case 'lost':
        return [`no reply: connection closed (${f.summary} xid=${f.xid})`];
      case 'timeout':
        return [`no reply: timed out (${f.summary} xid=${f.xid})`];
      case 'noreply':
        return [`no reply: a ping sent after it was answered first (${f.summary} xid=${f.xid})`];
    }
  }

  render(entries: Entry[]): string[] {
    this.learn(entries);
    const out: string[] = [];
    let stepIdx = 0;
    for (const e of entries) {
      stepIdx++;
      if (e.kind === 'note') {
        out.push(`#${stepIdx} ${e.text}`);
        continue;
      }
      out.push(`#${stepIdx} ${e.conn} ${e.what}`);
      for (const { conn, frame } of e.frames) for (const l of this.frame(frame)) out.push(`   ${conn}: ${l}`);
    }
    const sorted = [...this.timeline].sort((a, b) => cmpBig(a.zxid, b.zxid));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.t < sorted[i - 1]!.t) {
        out.push('!! stat times are not monotonic in zxid order');
        break;
      }
    }
    return out;
  }
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalise(entries: Entry[], ctx: NormContext): string[] {
  return new Normaliser(ctx).render(entries);
}
