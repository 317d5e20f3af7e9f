// The crash test driver: rounds of load + SIGKILL + restart + verification against the oracle,
// some with the log cut or a byte flipped before the restart, and a session re-attach scenario.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMode, ErrorCode, OpCode, errorName, type Stat } from '@zk/protocol';
import { cutLastSegment, flipMidLog, logEnd, newestSnapshot, type Cut } from './log-tamper.js';
import { Oracle, type NodeLine } from './oracle.js';
import { rng, type Rng } from './rng.js';
import { ServerProcess, freePort, killAllStarted, type LogLine } from './server-process.js';
import { ROOT, Writer, ensureRoot, serverLastZxid, verify } from './workload.js';
import { ZkConnection } from './zk-client.js';

const HOST = '127.0.0.1';

export interface CrashtestOptions {
  rounds: number;
  seed: number;
  writers: number;
  inFlight: number;
  snapCount: number;
  maxValueBytes: number;
  /** Every n-th round (n-1, 2n-1, ...) cuts the log; default 5. */
  truncateEvery?: number;
  /**
   * Do not fail a truncation round whose cut went below the newest snapshot's digestZxid (the
   * recovered state is then not a prefix until recovery falls back to an older snapshot; see
   * README); count it as `snapshotAhead` instead.
   */
  allowSnapshotAhead?: boolean;
  /** Keep the temp directory (logs, data) even when everything passed. */
  keep: boolean;
  dir?: string;
  cli?: string;
  log: (line: string) => void;
}

export type RoundKind = 'kill' | 'truncate' | 'flip';

export interface CaseResult {
  name: string;
  ok: boolean;
  details: string[];
}

export interface Summary {
  passed: number;
  failed: number;
  kills: number;
  attempted: number;
  acknowledged: number;
  ackedVerified: number;
  lostToTruncation: number;
  snapshots: number;
  tornTails: number;
  /** Truncation rounds whose state was not a prefix because the snapshot was ahead of the log (tolerated with allowSnapshotAhead). */
  snapshotAhead: number;
  dir: string;
  cases: CaseResult[];
}

/** Round kinds for a run: every `truncateEvery`-th a truncation, one flip in the middle, the rest plain kills. */
export function schedule(rounds: number, truncateEvery = 5): RoundKind[] {
  const out: RoundKind[] = [];
  const flipAt = rounds >= 3 ? Math.floor(rounds / 2) : -1;
  const n = Math.max(1, truncateEvery);
  for (let i = 0; i < rounds; i++) out.push(i === flipAt ? 'flip' : i % n === (n === 1 ? 0 : Math.min(3, n - 1)) ? 'truncate' : 'kill');
  return out;
}

class Run {
  readonly oracle = new Oracle();
  readonly r: Rng;
  server!: ServerProcess;
  port = 0;
  runNo = 0;
  kills = 0;
  ackedVerified = 0;
  lostToTruncation = 0;
  private ackBase = 0;
  snapshots = 0;
  tornTails = 0;
  snapshotAhead = 0;
  readonly logDir: string;

  constructor(readonly o: CrashtestOptions, readonly dir: string) {
    this.r = rng(o.seed);
    this.logDir = join(dir, 'data', 'zkts-v1');
  }

  async startServer(): Promise<ServerProcess> {
    this.server = await ServerProcess.start(
      { dir: this.dir, port: this.port, snapCount: this.o.snapCount, ...(this.o.cli !== undefined ? { cli: this.o.cli } : {}) },
      ++this.runNo,
    );
    return this.server;
  }

  async startReady(): Promise<void> {
    const s = await this.startServer();
    if (!(await s.waitReady())) {
      const e = await s.exited;
      throw new Error(`server did not start (exit ${e.code ?? e.signal}): ${lastLines(s)}`);
    }
  }

  async kill(): Promise<void> {
    this.snapshots += this.server.lines.filter((l) => l.msg === 'snapshot written').length;
    await this.server.killAndWait();
    this.kills++;
  }

  /** Load with `writers` sessions until a seeded number of acks or a seeded delay, then SIGKILL. */
  async loadAndKill(round: number): Promise<{ acks: number; trigger: string; problems: string[] }> {
    const o = this.o;
    const r = this.r;
    // hand some settled nodes to the writers (each to one writer) to update this round
    const settled = [...this.oracle.nodes.values()].filter((n) => n.settled !== undefined && n.settled >= 0);
    const adopt: NodeLine[][] = Array.from({ length: o.writers }, () => []);
    for (let i = 0; i < Math.min(settled.length, 40 * o.writers); i++) {
      const n = settled[r.int(0, settled.length - 1)]!;
      if (!adopt.some((a) => a.includes(n))) adopt[i % o.writers]!.push(n);
    }
    const conns = await Promise.all(Array.from({ length: o.writers }, () => ZkConnection.open(HOST, this.port, { timeOut: 4000 })));
    let acks = 0;
    let fire!: () => void;
    const killNow = new Promise<void>((res) => (fire = res));
    const byAcks = r.chance(0.5);
    const target = r.int(20, 2000);
    const delayMs = r.int(20, 800);
    const writers = conns.map(
      (c, id) =>
        new Writer(c, this.oracle, rng(o.seed * 1000 + round * 16 + id), { id, round, inFlight: o.inFlight, adopt: adopt[id]!, maxValueBytes: o.maxValueBytes }, () => {
          if (++acks === target && byAcks) fire();
        }),
    );
    for (const w of writers) w.start();
    let timer: NodeJS.Timeout | undefined;
    if (!byAcks) timer = setTimeout(fire, delayMs);
    // the server dying on its own is also a reason to stop (and a failure, reported below)
    void this.server.exited.then(() => fire());
    await killNow;
    if (timer !== undefined) clearTimeout(timer);
    const diedOnItsOwn = this.server.exit !== undefined;
    await this.kill();
    for (const w of writers) w.stop();
    await Promise.all(writers.map((w) => w.finished));
    for (const c of conns) c.close();
    const problems = writers.flatMap((w) => w.problems);
    if (diedOnItsOwn) problems.push(`the server exited by itself during the load: ${lastLines(this.server)}`);
    return { acks, trigger: byAcks ? `after ${target} acks` : `after ${delayMs} ms (${acks} acks)`, problems };
  }

  async round(round: number, kind: RoundKind): Promise<CaseResult> {
    const details: string[] = [];
    // Problems do not end the round early: the verification below must still run, so the
    // oracle settles on what the server holds and later rounds start from the truth.
    const problems: string[] = [];
    // the known consequence of a cut below the newest snapshot's digestZxid (see README)
    const ahead: string[] = [];
    const load = await this.loadAndKill(round);
    details.push(`SIGKILL ${load.trigger}`);
    if (load.problems.length > 0) problems.push(`during the load: ${load.problems.slice(0, 5).join('; ')}`);

    let cut: Cut | undefined;
    let beyondLog = '';
    if (kind === 'truncate') {
      cut = await cutLastSegment(this.logDir, this.r);
      if (cut !== undefined) {
        details.push(`cut ${base(cut.file)} at ${cut.at} of ${cut.dataEnd} (${cut.mode}, ${cut.framesCut} frames lost, expect ${cut.expect.kind})`);
        // A fuzzy snapshot reflects txns up to its digestZxid; a cut below that leaves the
        // snapshot ahead of the log, and only a fallback to an older snapshot keeps a prefix.
        const snap = await newestSnapshot(this.logDir);
        const end = await logEnd(this.logDir);
        if (snap !== undefined && (end === undefined || end < snap.digestZxid)) {
          beyondLog = ` (the cut removed txns up to 0x${snap.digestZxid.toString(16)} that ${base(snap.file)} already reflects: ` +
            'recovery must fall back to an older snapshot when the log ends before the newest one\'s digestZxid; see tools/crashtest/README.md)';
          details.push(`log now ends at ${end === undefined ? 'nothing' : `0x${end.toString(16)}`}, before ${base(snap.file)} reaches 0x${snap.digestZxid.toString(16)}`);
        }
      }
    } else if (kind === 'flip') {
      const flip = await flipMidLog(this.logDir, this.r);
      if (flip === undefined) details.push('no segment with two frames to flip a byte in; plain kill');
      else {
        details.push(`flipped byte ${flip.byteOffset} of ${base(flip.file)} (frame at ${flip.frameOffset})`);
        const s = await this.startServer();
        if (await s.waitReady()) {
          await s.killAndWait();
          problems.push('the server started on a log with a flipped byte in the middle');
        } else {
          const e = await s.exited;
          const text = s.rawStderr.join('\n');
          if (e.code === 0 || e.code === null) problems.push(`the server refused to start but exited with ${e.code ?? e.signal}`);
          else if (!text.includes(flip.file) || !text.includes(`offset ${flip.frameOffset}`)) {
            problems.push(`the error does not name ${flip.file} and offset ${flip.frameOffset}: ${lastLines(s)}`);
          } else details.push(`refused to start: exit ${e.code}, error names the file and offset ${flip.frameOffset}`);
        }
        await flip.restore();
      }
    }

    await this.startServer();
    if (!(await this.server.waitReady())) {
      const e = await this.server.exited;
      return { name: `round ${round} ${kind}`, ok: false, details: [...details, ...problems, `the server did not restart (exit ${e.code ?? e.signal}): ${lastLines(this.server)}`] };
    }
    let lastZxid: bigint | undefined;
    if (cut !== undefined) {
      lastZxid = await serverLastZxid(HOST, this.port);
      const warns = this.server.warnings().map((l) => String(l.msg));
      const ex = cut.expect;
      if (ex.kind === 'torn') {
        if (!warns.some((w) => w.includes(cut.file) && w.includes(`offset ${ex.tornAt}`))) {
          problems.push(`no warning naming ${base(cut.file)} and the torn frame at ${ex.tornAt}: ${warns.join(' | ')}`);
        } else this.tornTails++;
      } else if (ex.kind === 'header') {
        if (!warns.some((w) => w.includes(cut.file))) problems.push(`no warning about the headerless ${base(cut.file)}: ${warns.join(' | ')}`);
      }
      if (cut.lastKept !== undefined && lastZxid !== cut.lastKept) {
        (beyondLog !== '' ? ahead : problems).push(`recovered to 0x${lastZxid.toString(16)}, but the last complete frame left is 0x${cut.lastKept.toString(16)}${beyondLog}`);
      }
      details.push(`recovered to 0x${lastZxid.toString(16)}${ex.kind === 'clean' ? '' : ' with a warning'}`);
    }
    const v = await verify(HOST, this.port, this.oracle, lastZxid);
    const newAcks = this.oracle.acknowledged - this.ackBase;
    this.ackBase = this.oracle.acknowledged;
    this.ackedVerified += Math.max(0, newAcks - v.lostAcked);
    this.lostToTruncation += v.lostAcked;
    details.push(`${newAcks} new acknowledged writes; ${v.nodes} nodes checked, ${v.present} present${lastZxid !== undefined ? `; ${v.lostAcked} acknowledged writes cut away with the log (allowed)` : ''}`);
    const list = (xs: typeof v.violations): string => xs.slice(0, 8).map((x) => `${x.kind} ${x.path}: ${x.detail}`).join('; ');
    // with the snapshot ahead of the cut log, nodes beyond the prefix are that known problem
    const beyond = beyondLog !== '' ? v.violations.filter((x) => x.kind === 'beyond-prefix') : [];
    const others = v.violations.filter((x) => !beyond.includes(x));
    if (beyond.length > 0) ahead.push(`${beyond.length} nodes beyond the prefix${beyondLog}: ${list(beyond)}`);
    if (others.length > 0) problems.push(`${others.length} violations: ${list(others)}`);
    const errs = this.server.errors();
    if (errs.length > 0) problems.push(`server logged errors: ${errs.map((l) => String(l.msg)).join(' | ')}`);
    if (ahead.length > 0) {
      this.snapshotAhead++;
      if (this.o.allowSnapshotAhead === true) details.push(`KNOWN, tolerated (--allow-snapshot-ahead): ${ahead.join('; ')}`);
      else problems.push(...ahead);
    }
    return { name: `round ${round} ${kind}`, ok: problems.length === 0, details: [...details, ...problems] };
  }

  /**
   * After a round that crashed half-way: make sure a server runs and settle the oracle on what it
   * holds (violations are not judged here; the round already failed), so later rounds start from
   * the truth instead of cascading.
   */
  async resync(): Promise<void> {
    if (this.server.exit !== undefined) await this.startReady();
    const lastZxid = await serverLastZxid(HOST, this.port);
    await verify(HOST, this.port, this.oracle, lastZxid);
    this.ackBase = this.oracle.acknowledged;
  }

  /**
   * A session with ephemerals survives a SIGKILL + restart when its client re-attaches in time;
   * a wrong password gets timeOut 0 (SESSIONEXPIRED); a session nobody re-attaches expires.
   */
  async sessions(): Promise<CaseResult> {
    const name = 'session re-attach after restart';
    const details: string[] = [];
    const fail = (m: string): CaseResult => ({ name, ok: false, details: [...details, m] });
    const base = `/crash-sessions-${this.o.seed}-${this.runNo}`;
    const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const a = await ZkConnection.open(HOST, this.port, { timeOut: 20_000 });
    const d = await ZkConnection.open(HOST, this.port, { timeOut: 1_000 });
    const ok = async (c: ZkConnection, p: Promise<import('./zk-client.js').Outcome>, what: string): Promise<unknown> => {
      const o = await p;
      if (o.kind !== 'reply') throw new Error(`${what}: connection lost`);
      if (o.err !== ErrorCode.OK) throw new Error(`${what}: ${errorName(o.err)}`);
      void c;
      return o.body;
    };
    try {
      await ok(a, a.request(OpCode.create, { path: base, data: null, acl: OPEN, flags: 0 }), `create ${base}`);
      for (const e of ['e1', 'e2']) {
        await ok(a, a.request(OpCode.create, { path: `${base}/${e}`, data: Buffer.from(e), acl: OPEN, flags: CreateMode.EPHEMERAL }), `create ${e}`);
      }
      await ok(d, d.request(OpCode.create, { path: `${base}/d1`, data: null, acl: OPEN, flags: CreateMode.EPHEMERAL }), 'create d1');
    } catch (e) {
      return fail((e as Error).message);
    }
    const sid = a.session!.sessionId;
    const passwd = a.session!.passwd;
    details.push(`session 0x${sid.toString(16)} (timeout ${a.session!.timeOut} ms) owns e1, e2; session 0x${d.session!.sessionId.toString(16)} (timeout ${d.session!.timeOut} ms) owns d1`);
    await this.kill();
    a.close();
    d.close();
    await this.startReady();
    const b = await ZkConnection.open(HOST, this.port, { sessionId: sid, passwd, timeOut: 20_000 });
    try {
      if (b.session!.timeOut <= 0 || b.session!.sessionId !== sid) {
        return fail(`re-attach refused: timeOut ${b.session!.timeOut}, session 0x${b.session!.sessionId.toString(16)}`);
      }
      details.push(`re-attached after SIGKILL + restart (timeout ${b.session!.timeOut} ms)`);
      for (const e of ['e1', 'e2']) {
        const o = await b.request(OpCode.exists, { path: `${base}/${e}`, watch: false });
        if (o.kind !== 'reply' || o.err !== ErrorCode.OK) return fail(`${e} is gone after the restart`);
        const st = (o.body as { stat: Stat }).stat;
        if (st.ephemeralOwner !== sid) return fail(`${e} is owned by 0x${st.ephemeralOwner.toString(16)}`);
      }
      details.push('e1, e2 kept, owned by the session');
      const wrong = new Uint8Array(passwd);
      wrong[0] = wrong[0]! ^ 0xff;
      const c = await ZkConnection.open(HOST, this.port, { sessionId: sid, passwd: wrong, timeOut: 20_000 });
      const t = c.session!.timeOut;
      await c.waitClosed();
      if (t !== 0) return fail(`a wrong password got timeOut ${t}, expected 0 (SESSIONEXPIRED)`);
      details.push('wrong password: ConnectResponse timeOut 0, connection closed');
      const still = await b.request(OpCode.exists, { path: `${base}/e1`, watch: false });
      if (still.kind !== 'reply' || still.err !== ErrorCode.OK) return fail('the session lost e1 after a wrong-password attempt');
      // the session nobody re-attaches expires after its (restarted) timeout; wait for it
      const deadline = Date.now() + 30_000;
      for (;;) {
        const o = await b.request(OpCode.exists, { path: `${base}/d1`, watch: false });
        if (o.kind !== 'reply') return fail('connection lost while waiting for d1 to expire');
        if (o.err === ErrorCode.NONODE) break;
        if (Date.now() > deadline) return fail('d1 still exists 30 s after the restart: its session never expired');
        await new Promise((res) => setTimeout(res, 100));
      }
      details.push('the session not re-attached expired and d1 went with it');
      await b.closeSession();
      const v = await ZkConnection.open(HOST, this.port, { timeOut: 5000 });
      try {
        const o = await v.request(OpCode.getChildren, { path: base, watch: false });
        if (o.kind !== 'reply' || o.err !== ErrorCode.OK) return fail('cannot list the session test node');
        const kids = (o.body as { children: string[] }).children;
        if (kids.length !== 0) return fail(`ephemerals left after closeSession: ${kids.join(', ')}`);
      } finally {
        await v.closeSession();
      }
      details.push('closeSession removed e1, e2');
      return { name, ok: true, details };
    } finally {
      b.close();
    }
  }
}

function base(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function lastLines(s: ServerProcess): string {
  const pick = (l: LogLine): string => {
    const err = (l as { err?: { message?: string } }).err;
    return `${String(l.msg)}${err?.message !== undefined ? `: ${err.message}` : ''}`;
  };
  const errs = s.lines.filter((l) => l.level === 'error').map(pick);
  if (errs.length > 0) return errs.slice(-3).join(' | ');
  return s.rawStderr.slice(-3).join(' | ');
}

export async function runCrashtest(o: CrashtestOptions): Promise<Summary> {
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), 'zk-crashtest-')));
  const run = new Run(o, dir);
  const cases: CaseResult[] = [];
  const onExit = (): void => killAllStarted();
  process.once('exit', onExit);
  try {
    run.port = await freePort();
    o.log(`crashtest: seed ${o.seed}, ${o.rounds} rounds, ${o.writers} sessions x ${o.inFlight} in flight, snapCount ${o.snapCount}, dir ${dir}`);
    await run.startReady();
    await ensureRoot(HOST, run.port);
    const kinds = schedule(o.rounds, o.truncateEvery);
    for (let i = 0; i < kinds.length; i++) {
      let res: CaseResult;
      try {
        res = await run.round(i + 1, kinds[i]!);
      } catch (e) {
        res = { name: `round ${i + 1} ${kinds[i]!}`, ok: false, details: [`crashed: ${(e as Error).stack ?? String(e)}`] };
      }
      cases.push(res);
      o.log(`${res.ok ? 'ok  ' : 'FAIL'} ${res.name}: ${res.details.join('; ')}`);
      if (!res.ok) {
        try {
          await run.resync();
        } catch (e) {
          o.log(`cannot bring the server back for the next round: ${(e as Error).message}`);
          break;
        }
      }
    }
    let s: CaseResult;
    try {
      s = await run.sessions();
    } catch (e) {
      s = { name: 'session re-attach after restart', ok: false, details: [`crashed: ${(e as Error).stack ?? String(e)}`] };
    }
    cases.push(s);
    o.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name}: ${s.details.join('; ')}`);
    run.snapshots += run.server.lines.filter((l) => l.msg === 'snapshot written').length;
    await run.server.stop();
  } finally {
    killAllStarted();
    process.removeListener('exit', onExit);
  }
  const failed = cases.filter((c) => !c.ok).length;
  if (failed === 0 && !o.keep && o.dir === undefined) await rm(dir, { recursive: true, force: true });
  return {
    passed: cases.length - failed,
    failed,
    kills: run.kills,
    attempted: run.oracle.attempted,
    acknowledged: run.oracle.acknowledged,
    ackedVerified: run.ackedVerified,
    lostToTruncation: run.lostToTruncation,
    snapshots: run.snapshots,
    tornTails: run.tornTails,
    snapshotAhead: run.snapshotAhead,
    dir,
    cases,
  };
}

export { ROOT };
