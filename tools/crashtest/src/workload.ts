// Concurrent writers (one session each, requests pipelined) and the verifier.
import { connect as netConnect } from 'node:net';
import { CreateMode, ErrorCode, OpCode, errorName, type Stat } from '@zk/protocol';
import type { NodeLine, Observed, Oracle, Violation } from './oracle.js';
import { dataFor } from './oracle.js';
import type { Rng } from './rng.js';
import { ZkConnection, type Outcome } from './zk-client.js';

export const ROOT = '/crash';
const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export interface WriterOptions {
  id: number;
  round: number;
  inFlight: number;
  /** Nodes this writer may update (settled ones handed over for the round). */
  adopt: NodeLine[];
  maxValueBytes: number;
}

/** One client session issuing creates and setData, keeping `inFlight` requests outstanding. */
export class Writer {
  readonly problems: string[] = [];
  private readonly owned: NodeLine[];
  private seq = 0;
  private stopped = false;
  private outstanding = 0;
  private done!: () => void;
  readonly finished: Promise<void>;

  constructor(
    private readonly conn: ZkConnection,
    private readonly oracle: Oracle,
    private readonly r: Rng,
    private readonly o: WriterOptions,
    private readonly onAck: () => void,
  ) {
    this.owned = [...o.adopt];
    this.finished = new Promise((res) => (this.done = res));
  }

  start(): void {
    for (let i = 0; i < this.o.inFlight; i++) this.issue();
  }

  stop(): void {
    this.stopped = true;
    if (this.outstanding === 0) this.done();
  }

  private filler(): string {
    const n = this.r.int(0, this.o.maxValueBytes);
    return 'x'.repeat(n);
  }

  private issue(): void {
    if (this.stopped || this.conn.closed) {
      if (this.outstanding === 0) this.done();
      return;
    }
    let p: Promise<Outcome>;
    let n: NodeLine;
    let index: number;
    if (this.owned.length > 0 && this.r.chance(0.6)) {
      n = this.r.pick(this.owned);
      index = n.writes.length;
      const data = dataFor(n.path, index, this.filler());
      this.oracle.attempt(n, data);
      p = this.conn.request(OpCode.setData, { path: n.path, data: Buffer.from(data), version: -1 });
    } else {
      const path = `${ROOT}/r${this.o.round}-w${this.o.id}-${this.seq++}`;
      n = this.oracle.line(path);
      index = 0;
      const data = dataFor(path, 0, this.filler());
      this.oracle.attempt(n, data);
      this.owned.push(n); // later setData of this session are ordered after the create
      p = this.conn.request(OpCode.create, { path, data: Buffer.from(data), acl: OPEN, flags: CreateMode.PERSISTENT });
    }
    this.outstanding++;
    void p.then((o) => {
      this.outstanding--;
      if (o.kind === 'reply') {
        if (o.err !== ErrorCode.OK) {
          this.problems.push(`${n.path} write ${index}: unexpected reply ${errorName(o.err)}`);
        } else {
          if (index > 0) {
            const st = (o.body as { stat?: Stat } | null)?.stat;
            if (st === undefined || st.version !== index) {
              this.problems.push(`${n.path} write ${index}: reply carries version ${st?.version}, expected ${index}`);
            }
          }
          this.oracle.ack(n, index, o.zxid);
          this.onAck();
        }
      }
      this.issue();
    });
  }
}

/** `srvr` (or any four-letter word) over a fresh connection. */
export function fourLetterWord(host: string, port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host, port });
    let out = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.write(word));
    s.on('data', (d: string) => (out += d));
    s.on('error', reject);
    s.on('close', () => resolve(out));
  });
}

export async function serverLastZxid(host: string, port: number): Promise<bigint> {
  const out = await fourLetterWord(host, port, 'srvr');
  const m = /Zxid: (0x[0-9a-f]+)/i.exec(out);
  if (m === null) throw new Error(`no Zxid in srvr output: ${out}`);
  return BigInt(m[1]!);
}

export interface VerifyResult {
  violations: Violation[];
  nodes: number;
  present: number;
  ackedChecked: number;
  lostAcked: number;
}

/**
 * Reads back the test root and every node any client attempted; checks them against the oracle
 * (prefix rule when `lastZxid` is given), then settles the oracle on what was read.
 */
export async function verify(host: string, port: number, oracle: Oracle, lastZxid?: bigint): Promise<VerifyResult> {
  const c = await ZkConnection.open(host, port, { timeOut: 30_000 });
  try {
    const violations: Violation[] = [];
    const kids = await c.request(OpCode.getChildren, { path: ROOT, watch: false });
    if (kids.kind !== 'reply') throw new Error('connection lost while verifying');
    const children = kids.err === ErrorCode.OK ? (kids.body as { children: string[] }).children : [];
    if (kids.err !== ErrorCode.OK && kids.err !== ErrorCode.NONODE) throw new Error(`getChildren ${ROOT}: ${errorName(kids.err)}`);
    violations.push(...oracle.phantoms(ROOT, children));
    const lines = [...oracle.nodes.values()].filter((n) => n.writes.length > 0 || n.settled !== undefined);
    const replies = await Promise.all(lines.map((n) => c.request(OpCode.getData, { path: n.path, watch: false })));
    let present = 0;
    let ackedChecked = 0;
    let lostAcked = 0;
    for (let i = 0; i < lines.length; i++) {
      const n = lines[i]!;
      const o = replies[i]!;
      if (o.kind !== 'reply') throw new Error('connection lost while verifying');
      let seen: Observed;
      if (o.err === ErrorCode.NONODE) seen = { exists: false };
      else if (o.err === ErrorCode.OK) {
        const b = o.body as { data: Uint8Array | null; stat: Stat };
        seen = { exists: true, data: b.data === null ? '' : Buffer.from(b.data).toString('utf8'), version: b.stat.version, mzxid: b.stat.mzxid };
        present++;
      } else throw new Error(`getData ${n.path}: ${errorName(o.err)}`);
      if (n.acked >= 0) ackedChecked++;
      const v = oracle.check(n, seen, lastZxid);
      violations.push(...v);
      // in truncation runs, count acknowledged writes the cut took away (allowed there)
      if (lastZxid !== undefined) {
        for (const w of n.writes) if (w.acked === true && w.zxid !== undefined && w.zxid > lastZxid) lostAcked++;
      }
      oracle.settle(n, seen);
    }
    return { violations, nodes: lines.length, present, ackedChecked, lostAcked };
  } finally {
    await c.closeSession().catch(() => undefined);
  }
}

/** Creates the test root (idempotent). */
export async function ensureRoot(host: string, port: number): Promise<void> {
  const c = await ZkConnection.open(host, port, { timeOut: 30_000 });
  try {
    const r = await c.request(OpCode.create, { path: ROOT, data: null, acl: OPEN, flags: 0 });
    if (r.kind !== 'reply' || (r.err !== ErrorCode.OK && r.err !== ErrorCode.NODEEXISTS)) {
      throw new Error(`cannot create ${ROOT}: ${r.kind === 'reply' ? errorName(r.err) : 'connection lost'}`);
    }
  } finally {
    await c.closeSession().catch(() => undefined);
  }
}
