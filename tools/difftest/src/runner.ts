// Runs cases against a server and compares two servers' normalised transcripts.
//
// Layout: one long-lived server per side and settings group; every case runs under its own root
// znode /dt<N> (created by the runner's control session just before the case), so cases are
// isolated without a restart. The control session reads the last processed zxid right before the
// case (the base for zxid normalisation), and afterwards closes every session the case left
// behind and deletes the case's subtree with super rights, so nothing of one case (a lingering
// session expiring, a container being reaped) happens during the next.

import { CaseCtx, ScriptAbort, type CaseDef, type EnsembleTarget } from './case.js';
import { zkEnsembleCrash } from './expected.js';
import { normalise, type ZxidMode } from './normalise.js';
import { RawSession, type Outcome } from './raw-session.js';
import { R } from './requests.js';
import { ErrorCode } from '@zk/protocol';
import {
  startEnsemble, startServer, sleep, tail, SUPER_PASSWORD, SUPER_USER,
  type RunningEnsemble, type RunningServer, type ServerKind, type ServerSettings,
} from '@zk/testkit';

/** `standalone`: one server per side. `ensemble`: a 3-server ensemble per side, cases on a follower. */
export type Topology = 'standalone' | 'ensemble';

/**
 * One follower of a running ensemble seen as the case's server (host, port, the ensemble's logs).
 * The ensemble counts as alive only while every member runs; stop() stops the whole ensemble.
 */
export function followerAsServer(ens: RunningEnsemble, followerId: number): RunningServer {
  const f = ens.member(followerId);
  const unsupported = (): Promise<void> => Promise.reject(new Error('kill/start/restart of one member: use the ensemble'));
  return {
    kind: ens.kind,
    host: f.host,
    port: f.clientPort,
    connectString: f.connectString,
    dataDir: f.dataDir,
    cfgPath: f.cfgPath,
    get pid() {
      return f.pid;
    },
    logs: () => ens.members.map((m) => `--- server ${m.id} ---\n${m.logs()}`).join('\n'),
    alive: () => ens.members.every((m) => m.alive()),
    kill: unsupported,
    start: unsupported,
    restart: unsupported,
    stop: () => ens.stop(),
  };
}

export interface CaseRun {
  lines: string[];
  ms: number;
}

export class ServerDriver {
  /** Ensemble mode: the control session on the other follower (syncs only). */
  private otherControl: RawSession | null = null;
  /** Ensemble mode (unless ZK_DIFF_ENSEMBLE_SETTLE=0): a control session on the leader (syncs only). */
  private leaderControl: RawSession | null = null;

  private constructor(
    readonly server: RunningServer,
    private control: RawSession,
    readonly settings: ServerSettings,
    /** Ensemble mode: the other follower's address. */
    private readonly other: { host: string; port: number } | null = null,
  ) {}

  get kind(): ServerKind {
    return this.server.kind;
  }

  static async start(kind: ServerKind, settings: ServerSettings, topology: Topology = 'standalone'): Promise<ServerDriver> {
    if (topology === 'ensemble') return ServerDriver.startEnsemble(kind, settings);
    const server = await startServer(kind, { settings });
    try {
      const control = await ServerDriver.openControl(server, settings);
      return new ServerDriver(server, control, settings);
    } catch (e) {
      await server.stop();
      throw e;
    }
  }

  /**
   * A 3-server ensemble; cases run on the follower with the smaller id, sessions they re-attach
   * move to the other follower. The runner's control session is on the first follower, so that
   * what it creates before a case has been applied where the case reads.
   */
  private static async startEnsemble(kind: ServerKind, settings: ServerSettings): Promise<ServerDriver> {
    const ens = await startEnsemble(kind, { servers: 3, settings });
    try {
      const leader = await ens.waitForLeader();
      const [first, second] = ens.members.filter((m) => m.id !== leader.id);
      const server = followerAsServer(ens, first!.id);
      const control = await ServerDriver.openControl(server, settings);
      const d = new ServerDriver(server, control, settings, { host: second!.host, port: second!.clientPort });
      d.otherControl = await ServerDriver.openControl({ ...server, host: second!.host, port: second!.clientPort }, settings);
      if (process.env['ZK_DIFF_ENSEMBLE_SETTLE'] !== '0') {
        d.leaderControl = await ServerDriver.openControl({ ...server, host: leader.host, port: leader.clientPort }, settings);
      }
      return d;
    } catch (e) {
      await ens.stop();
      throw e;
    }
  }

  /** Ensemble mode: what CaseCtx needs to move sessions to the other follower. */
  private ensembleTarget(): EnsembleTarget | null {
    const other = this.other;
    if (other === null) return null;
    return {
      other,
      settle: this.leaderControl === null ? null : async () => {
        const o = await this.leaderControl!.send(R.sync('/'), { internal: true });
        if (o.kind !== 'reply' || o.err !== 0) throw new Error(`${this.kind}: leader control sync failed`);
      },
      syncBoth: async () => {
        if (this.otherControl === null || this.otherControl.closed) {
          this.otherControl = await ServerDriver.openControl({ ...this.server, host: other.host, port: other.port }, this.settings);
        }
        const both = [this.ctl(R.sync('/')), this.otherControl.send(R.sync('/'), { internal: true })];
        for (const o of await Promise.all(both)) {
          if (o.kind !== 'reply' || o.err !== 0) throw new Error(`${this.kind}: control sync failed (${o.kind === 'reply' ? `err ${o.err}` : o.kind})`);
        }
      },
    };
  }

  private static async openControl(server: Pick<RunningServer, 'kind' | 'host' | 'port'>, settings: ServerSettings): Promise<RawSession> {
    const { session, connected } = await RawSession.connect(server.host, server.port, { timeOut: 30_000 });
    if (!connected || connected.timeOut <= 0) throw new Error(`${server.kind}: control session refused`);
    session.startKeepalive();
    if (settings.superDigest !== null) {
      const o = await session.send(R.auth('digest', `${SUPER_USER}:${SUPER_PASSWORD}`), { internal: true });
      if (o.kind !== 'reply' || o.err !== 0) throw new Error(`${server.kind}: super auth failed`);
    }
    return session;
  }

  private async ctl(req: Parameters<RawSession['send']>[0]): Promise<Outcome> {
    if (this.control.closed) this.control = await ServerDriver.openControl(this.server, this.settings);
    return this.control.send(req, { internal: true });
  }

  async deleteTree(path: string): Promise<void> {
    // NOTEMPTY can come from a child that is going away: an ephemeral whose session's close is
    // committed but not yet applied where the delete is prepared (the ensemble leader). Retry.
    for (let attempt = 0; ; attempt++) {
      const kids = await this.ctl(R.getChildren(path));
      if (kids.kind !== 'reply' || kids.err !== 0) return;
      const children = ((kids.body as { children?: string[] } | undefined)?.children ?? []);
      for (const k of children) await this.deleteTree(path === '/' ? `/${k}` : `${path}/${k}`);
      const del = await this.ctl(R.delete(path));
      if (del.kind !== 'reply' || del.err !== ErrorCode.NOTEMPTY || attempt >= 20) return;
      await sleep(50);
    }
  }

  async runCase(def: CaseDef, index: number, zxidMode: ZxidMode = 'delta'): Promise<CaseRun> {
    const t0 = Date.now();
    const root = `/dt${index}`;
    await this.deleteTree(root); // a leftover from an aborted earlier run of the same index
    const made = await this.ctl(R.create(root, ''));
    if (made.kind !== 'reply' || made.err !== 0) throw new Error(`${this.kind}: cannot create case root ${root}`);
    const base = await this.ctl(R.exists(root));
    if (base.kind !== 'reply') throw new Error(`${this.kind}: control session lost`);
    const ctx = new CaseCtx(this.server, root, this.ensembleTarget());
    const startMs = Date.now();
    const limit = def.timeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        def.script(ctx),
        new Promise<never>((_, rej) => {
          timer = setTimeout(() => rej(new ScriptAbort(`case exceeded ${limit} ms`)), limit);
        }),
      ]);
    } catch (e) {
      const msg = e instanceof ScriptAbort ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
      ctx.note(`script aborted: ${msg}`);
      // Unblock a script still waiting on a reply.
      await Promise.all(ctx.conns.map((c) => c.raw.drop()));
    } finally {
      clearTimeout(timer);
    }
    const endMs = Date.now();
    let cleanupError: string | null = null;
    try {
      await ctx.cleanup();
      await this.deleteTree(root);
      await this.deleteTree(`/zookeeper/quota${root}`);
      // A sequential create on the case root itself lands beside it: /dt<N><counter>.
      const top = await this.ctl(R.getChildren('/'));
      const names = top.kind === 'reply' ? (((top.body as { children?: string[] } | undefined)?.children) ?? []) : [];
      for (const n of names) if (new RegExp(`^dt${index}\\d{10}$`).test(n)) await this.deleteTree(`/${n}`);
      if (def.quiesceMs) await sleep(def.quiesceMs);
    } catch (e) {
      cleanupError = (e as Error).message.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, '<server>');
    }
    const lines = normalise(ctx.entries, {
      root,
      baseZxid: base.zxid,
      startMs,
      endMs,
      controlSessionId: this.control.sessionId,
      zxidMode,
      keepListOrder: process.env['ZK_DIFF_SORT_LISTS'] !== '1',
    });
    if (cleanupError !== null) {
      lines.push(`!! cleanup after the case failed: ${cleanupError}`);
      // Give a dying process a moment to be seen as exited.
      for (let i = 0; i < 20 && this.server.alive(); i++) await sleep(100);
    }
    if (!this.server.alive()) {
      lines.push('!! server process exited during this case; log:');
      for (const l of crashLines(this.server.logs())) lines.push(`!!   ${l.slice(0, 300)}`);
    }
    return { lines, ms: Date.now() - t0 };
  }

  async stop(): Promise<void> {
    try {
      for (const c of [this.control, this.otherControl, this.leaderControl]) {
        if (c === null || c.closed) continue;
        c.stopKeepalive();
        await c.send(R.closeSession(), { internal: true, timeoutMs: 3000 });
        await c.end();
      }
    } finally {
      await this.server.stop();
    }
  }
}

/** The first error-looking lines of a log (with a little context), else its tail. */
export function crashLines(log: string): string[] {
  const all = log.split('\n');
  const i = all.findIndex((l) => /\b(\w*Error|Exception|FATAL|panic)\b/.test(l));
  if (i < 0) return tail(log, 8).split('\n');
  return all.slice(Math.max(0, i - 1), i + 5);
}

// ---- comparison ----

/** Line diff (LCS); returns rows [left, right, same?] for a side-by-side display. */
export function alignLines(a: string[], b: string[]): Array<[string | null, string | null, boolean]> {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const rows: Array<[string | null, string | null, boolean]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      rows.push([a[i]!, b[j]!, true]);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      rows.push([null, b[j]!, false]);
      j++;
    } else {
      rows.push([a[i]!, null, false]);
      i++;
    }
  }
  return rows;
}

export function sideBySide(leftName: string, a: string[], rightName: string, b: string[], width = 90): string {
  const rows = alignLines(a, b);
  const pad = (s: string): string => (s.length > width ? s.slice(0, width - 1) + '…' : s.padEnd(width));
  const out = [`  ${pad(leftName)} | ${rightName}`, `  ${'-'.repeat(width)} | ${'-'.repeat(width)}`];
  for (const [l, r, same] of rows) {
    const mark = same ? ' ' : '≠';
    out.push(`${mark} ${pad(l ?? '')} | ${r ?? ''}`);
  }
  return out.join('\n');
}

/** The first differing region as "left ≠ right" (one line from each side), for a summary. */
export function firstDifference(a: string[], b: string[]): string {
  const rows = alignLines(a, b);
  const i = rows.findIndex((r) => !r[2]);
  if (i < 0) return '';
  let left: string | null = null;
  let right: string | null = null;
  for (let j = i; j < rows.length && !rows[j]![2]; j++) {
    left ??= rows[j]![0];
    right ??= rows[j]![1];
  }
  // Context: the step header the difference belongs to.
  let step = '';
  for (let j = i - 1; j >= 0; j--) {
    const l = rows[j]![0];
    if (l && l.startsWith('#')) {
      step = l + ' :: ';
      break;
    }
  }
  return `${step}${(left ?? '<nothing>').trim()}  ≠  ${(right ?? '<nothing>').trim()}`;
}

// ---- a pair of servers of one settings group ----

export interface PairResult {
  a: CaseRun;
  b: CaseRun;
  same: boolean;
  /** The case crashes ZooKeeper: it ran on zk-ts only (`same` = zk-ts survived it cleanly). */
  oursOnly?: boolean;
}

/** Runs every case on two servers side by side; restarts a server that died. */
export class PairRunner {
  private drivers: [ServerDriver | null, ServerDriver | null] = [null, null];

  constructor(
    readonly kinds: [ServerKind, ServerKind],
    readonly settings: ServerSettings,
    readonly zxidMode: ZxidMode = 'delta',
    readonly topology: Topology = 'standalone',
  ) {}

  async start(): Promise<void> {
    const [a, b] = await Promise.allSettled([
      ServerDriver.start(this.kinds[0], this.settings, this.topology),
      ServerDriver.start(this.kinds[1], this.settings, this.topology),
    ]);
    if (a.status === 'fulfilled') this.drivers[0] = a.value;
    if (b.status === 'fulfilled') this.drivers[1] = b.value;
    if (a.status === 'rejected' || b.status === 'rejected') {
      await this.stop();
      throw (a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason) as Error;
    }
  }

  private async side(i: 0 | 1, def: CaseDef, index: number): Promise<CaseRun> {
    let d = this.drivers[i];
    const pre: string[] = [];
    if (!d || !d.server.alive()) {
      if (d) {
        await d.server.stop().catch(() => undefined);
        pre.push('!! the server had died before this case (restarted)');
      }
      d = await ServerDriver.start(this.kinds[i], this.settings, this.topology);
      this.drivers[i] = d;
    }
    try {
      const r = await d.runCase(def, index, this.zxidMode);
      if (!d.server.alive() || r.lines.some((l) => l.startsWith('!! cleanup'))) {
        // Unknown state: a fresh server for the next case.
        this.drivers[i] = null;
        await d.server.stop().catch(() => undefined);
      }
      return { lines: [...pre, ...r.lines], ms: r.ms };
    } catch (e) {
      // The server is in an unknown state: start a fresh one for the next case.
      this.drivers[i] = null;
      const log = tail(d.server.logs(), 8).split('\n').join(' / ');
      await d.server.stop().catch(() => undefined);
      const msg = (e as Error).message.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, '<server>');
      return { lines: [...pre, `!! harness error (server ${d.server.alive() ? 'running' : 'exited'}): ${msg}`, `!! log tail: ${log}`], ms: 0 };
    }
  }

  async run(def: CaseDef, index: number): Promise<PairResult> {
    const zkCrashes = def.zkCrashes ?? (this.topology === 'ensemble' ? zkEnsembleCrash(def.name) ?? undefined : undefined);
    if (zkCrashes) {
      // Known to kill Apache ZooKeeper 3.8.0: run it only on zk-ts, which must survive it.
      const ours = this.kinds.map((k, i) => (k === 'zkts' ? i : -1)).filter((i) => i >= 0) as Array<0 | 1>;
      const skipped: CaseRun = { lines: [`(not run on ZooKeeper: it crashes the server — ${zkCrashes})`], ms: 0 };
      const runs: [CaseRun, CaseRun] = [skipped, skipped];
      for (const i of ours) runs[i] = await this.side(i, def, index);
      // ZooKeeper still gets the case root created and deleted, so that the global root's cversion
      // (which later cases read) counts the same on both sides.
      for (const i of [0, 1] as const) if (!ours.includes(i)) await this.side(i, { name: def.name, script: async () => undefined }, index);
      const ok = ours.every((i) => !runs[i].lines.some((l) => l.startsWith('!!')));
      return { a: runs[0], b: runs[1], same: ok, oursOnly: true };
    }
    const [a, b] = await Promise.all([this.side(0, def, index), this.side(1, def, index)]);
    const same = a.lines.length === b.lines.length && a.lines.every((l, i) => l === b.lines[i]);
    return { a, b, same };
  }

  async stop(): Promise<void> {
    await Promise.all(this.drivers.map((d) => d?.stop().catch(() => undefined)));
    this.drivers = [null, null];
  }
}
