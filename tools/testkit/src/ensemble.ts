// Launch an ensemble of Apache ZooKeeper 3.8 (QuorumPeerMain) or zk-ts servers: one child process
// per member, each in its own session and process group (spawnGroup), on free 127.0.0.1 ports, from
// a generated zoo.cfg (server.N lines) and dataDir/myid in a temp dir; kill / stop / restart members
// one by one, ask each for its role with `srvr`, wait for a leader.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensembleCfgLines, type EnsembleMemberSpec, type ServerSettings } from './config.js';
import { fourLetterWord, freePort, retryOnNewPorts, sleep, tail } from './net.js';
import { spawnGroup, type GroupProcess } from './process-group.js';
import { assertAvailable, serverCommand, type ServerKind } from './servers.js';

/** What `srvr` says about a member. */
export type MemberMode =
  | 'leader'
  | 'follower'
  | 'observer'
  | 'standalone'
  /** "This ZooKeeper instance is not currently serving requests": electing or syncing. */
  | 'not serving'
  /** Nothing listens on the client port (killed, not started, or still starting). */
  | 'down'
  /** Connected but no answer in time (SIGSTOPped, overloaded). */
  | 'unresponsive';

export const SERVING_MODES: readonly MemberMode[] = ['leader', 'follower', 'observer'];

export function isServing(mode: MemberMode): boolean {
  return SERVING_MODES.includes(mode);
}

/** The mode a `srvr` answer reports (`Mode: follower` → 'follower'). */
export function parseSrvrMode(answer: string): MemberMode {
  if (/not currently serving requests/.test(answer)) return 'not serving';
  const m = /^Mode: (\w+)/m.exec(answer);
  if (m) {
    const mode = m[1]!;
    if (mode === 'leader' || mode === 'follower' || mode === 'observer' || mode === 'standalone') return mode;
    return 'not serving';
  }
  return 'unresponsive';
}

/** zk-ts's `ensemble role` log record (JSON lines): logged whenever a member's role changes. */
export interface EnsembleRoleEvent {
  role: string;
  state: string;
  leader?: number;
  epoch?: number;
  lastZxid?: string;
  /** e.g. "synced with leader 2 by DIFF" when a learner starts serving. */
  reason?: string;
  time?: string | number;
}

/** Every `ensemble role` record in a zk-ts log (JSON lines; other lines are skipped). */
export function ensembleRoleEvents(log: string): EnsembleRoleEvent[] {
  const out: EnsembleRoleEvent[] = [];
  for (const line of log.split('\n')) {
    if (!line.includes('"ensemble role"')) continue;
    try {
      const j = JSON.parse(line) as Record<string, unknown> & { msg?: unknown };
      if (j.msg !== 'ensemble role') continue;
      out.push(j as unknown as EnsembleRoleEvent);
    } catch {
      /* not a JSON line */
    }
  }
  return out;
}

/**
 * ZooKeeper: how a learner synced with its leader, from Learner.syncWithLeader's log lines
 * ("Getting a diff from the leader 0x…" and "Getting a snapshot from leader 0x…" at INFO,
 * "Truncating log to get in sync with the leader 0x…" at WARN), in log order. Needs the members
 * started with `logLevel: 'info'`.
 */
export function zooKeeperSyncEvents(log: string): Array<{ how: 'DIFF' | 'TRUNC' | 'SNAP'; zxid: string; line: string }> {
  const out: Array<{ how: 'DIFF' | 'TRUNC' | 'SNAP'; zxid: string; line: string }> = [];
  const re = /(Getting a diff from the leader|Getting a snapshot from leader|Truncating log to get in sync with the leader) (0x[0-9a-f]+)/;
  for (const line of log.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const how = m[1]!.startsWith('Getting a diff') ? 'DIFF' : m[1]!.startsWith('Getting a snapshot') ? 'SNAP' : 'TRUNC';
    out.push({ how, zxid: m[2]!, line: line.trim() });
  }
  return out;
}

/** How a learner synced, from a role event's reason: "synced with leader 2 by DIFF" → { leader: 2, how: 'DIFF' }. */
export function syncedBy(ev: EnsembleRoleEvent): { leader: number; how: 'DIFF' | 'TRUNC' | 'SNAP' } | null {
  const m = /synced with leader (\d+) by (DIFF|TRUNC|SNAP)/.exec(ev.reason ?? '');
  return m ? { leader: Number(m[1]), how: m[2] as 'DIFF' | 'TRUNC' | 'SNAP' } : null;
}

export interface EnsembleOptions {
  /** Voting members (participants). Default 3. */
  servers?: number;
  /** Observers (ids after the participants). Default 0. */
  observers?: number;
  /** Shared server settings (`ServerSettings`); tickTime defaults to 500 as for standalone servers. */
  settings?: ServerSettings;
  /** Per-member settings merged over `settings` (extraCfg merged too), e.g. `forceSync=no` on some. */
  memberSettings?: (id: number) => ServerSettings | undefined;
  /** zoo.cfg initLimit in ticks. Default 20. */
  initLimit?: number;
  /** zoo.cfg syncLimit in ticks. Default 10 (generous: a noisy shared machine). */
  syncLimit?: number;
  host?: string;
  /** Member ids in the order they are started. Default 1..n. */
  startOrder?: number[];
  /** ms between starting one member and the next. Default 0 (all at once). */
  startDelayMs?: number;
  /** Resolve only once a leader is elected and every member serves. Default true. */
  waitServing?: boolean;
  /** ms for the whole start (and the default for waits). Default 90000. */
  startTimeoutMs?: number;
  /** Keep the temp dir after stop (debugging). Default: env ZK_DIFF_KEEP=1 or ZK_ENSEMBLE_KEEP=1. */
  keep?: boolean;
  /**
   * Log level: zk-ts `--log-level` (default info: its role changes are info records); ZooKeeper's
   * slf4j-simple level (default env ZK_DIFF_ZK_LOGLEVEL, else warn; `info` shows how a learner
   * synced: see `zooKeeperSyncEvents`).
   */
  logLevel?: string;
}

export interface EnsembleMember {
  readonly id: number;
  readonly type: 'participant' | 'observer';
  readonly host: string;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
  /** "127.0.0.1:<clientPort>": this member only. */
  readonly connectString: string;
  /** The member's directory (zoo.cfg, server.log, data/). */
  readonly dir: string;
  readonly dataDir: string;
  readonly cfgPath: string;
  readonly logPath: string;
  /** Of the current process; -1 when none runs. */
  readonly pid: number;
  /** The member's whole log (every run), or only what its current/last run wrote. */
  logs(which?: 'all' | 'run'): string;
  /** zk-ts: the `ensemble role` records of the log (every run, or the current/last one). */
  roleEvents(which?: 'all' | 'run'): EnsembleRoleEvent[];
  alive(): boolean;
  /** True between kill('SIGSTOP') and kill('SIGCONT'). */
  readonly paused: boolean;
  /**
   * Signal the member's process group. SIGKILL (default) and SIGTERM wait for the exit (SIGTERM:
   * SIGKILL after 5 s); any other signal (SIGSTOP, SIGCONT) is sent and returns at once.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start the member again on its zoo.cfg and data; by default resolves once it serves. */
  start(opts?: { waitServing?: boolean; timeoutMs?: number }): Promise<void>;
  /** kill('SIGKILL') then start(opts). */
  restart(opts?: { waitServing?: boolean; timeoutMs?: number }): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s); the member can be started again. */
  stop(): Promise<void>;
  /** The `srvr` answer (rejects when nothing listens). */
  srvr(timeoutMs?: number): Promise<string>;
  /** The member's role as `srvr` reports it. */
  mode(timeoutMs?: number): Promise<MemberMode>;
  /** Poll `mode()` until it is serving (leader / follower / observer); resolves with it. */
  waitServing(timeoutMs?: number): Promise<MemberMode>;
}

export interface RunningEnsemble {
  readonly kind: ServerKind;
  readonly host: string;
  /** The temp dir holding server<N>/ for every member. */
  readonly root: string;
  readonly members: readonly EnsembleMember[];
  /** Every member's client address: "127.0.0.1:p1,127.0.0.1:p2,...". */
  readonly connectString: string;
  member(id: number): EnsembleMember;
  /** Connect string of some members only. */
  connectStringOf(ids: readonly number[]): string;
  /** Every member's mode, by id. */
  modes(): Promise<Map<number, MemberMode>>;
  /** The member that currently reports `Mode: leader` (exactly one), or undefined. */
  leader(): Promise<EnsembleMember | undefined>;
  /** Poll until exactly one member reports `Mode: leader`; resolves with it. */
  waitForLeader(timeoutMs?: number): Promise<EnsembleMember>;
  /** Poll until every listed member (default: every running one) serves. */
  waitServing(ids?: readonly number[], timeoutMs?: number): Promise<void>;
  /** The last lines of every member's log, for failure messages. */
  logTail(lines?: number): string;
  /** Stop every member (SIGTERM, SIGKILL after 5 s) and remove the temp dir unless kept. Idempotent. */
  stop(): Promise<void>;
}

const BIND_ERROR = /EADDRINUSE|Address already in use|BindException/;

/** Start an ensemble of `kind`; by default resolves once a leader is elected and every member serves. */
export async function startEnsemble(kind: ServerKind, opts: EnsembleOptions = {}): Promise<RunningEnsemble> {
  assertAvailable(kind);
  return retryOnNewPorts(() => startOnce(kind, opts), (e) => e instanceof Error && BIND_ERROR.test(e.message));
}

async function startOnce(kind: ServerKind, opts: EnsembleOptions): Promise<RunningEnsemble> {
  const host = opts.host ?? '127.0.0.1';
  const participants = opts.servers ?? 3;
  const observers = opts.observers ?? 0;
  if (participants < 1 || observers < 0 || participants + observers > 255) throw new Error(`bad ensemble size ${participants}+${observers}`);
  const settings = opts.settings ?? {};
  const limits = { initLimit: opts.initLimit ?? 20, syncLimit: opts.syncLimit ?? 10 };
  const timeoutMs = opts.startTimeoutMs ?? 90_000;
  const keep = opts.keep ?? (process.env['ZK_DIFF_KEEP'] === '1' || process.env['ZK_ENSEMBLE_KEEP'] === '1');
  const total = participants + observers;

  const ports = new Set<number>();
  while (ports.size < 3 * total) ports.add(await freePort(host));
  const p = [...ports];
  const specs: EnsembleMemberSpec[] = [];
  for (let i = 0; i < total; i++) {
    specs.push({
      id: i + 1,
      type: i < participants ? 'participant' : 'observer',
      host,
      clientPort: p[3 * i]!,
      quorumPort: p[3 * i + 1]!,
      electionPort: p[3 * i + 2]!,
    });
  }

  const root = mkdtempSync(join(tmpdir(), `zkens-${kind}-`));
  const settingsOf = (id: number): ServerSettings => {
    const own = opts.memberSettings?.(id);
    if (own === undefined) return settings;
    return { ...settings, ...own, extraCfg: { ...settings.extraCfg, ...own.extraCfg } };
  };
  const members = specs.map((spec) => makeMember(kind, spec, specs, root, settingsOf(spec.id), limits, timeoutMs, opts.logLevel));
  let stopped = false;

  const byId = (id: number): Member => {
    const m = members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id} (ensemble of ${total})`);
    return m;
  };
  const modes = async (): Promise<Map<number, MemberMode>> => {
    const all = await Promise.all(members.map(async (m) => [m.id, m.alive() ? await m.mode(2000) : 'down'] as const));
    return new Map(all);
  };
  const logTail = (lines = 30): string =>
    members.map((m) => `--- ${kind} server ${m.id} (${m.logPath}) ---\n${tail(m.logs(), lines)}`).join('\n');
  const leader = async (): Promise<EnsembleMember | undefined> => {
    const ms = await modes();
    const leaders = [...ms].filter(([, mode]) => mode === 'leader');
    return leaders.length === 1 ? byId(leaders[0]![0]) : undefined;
  };
  const exitedDuringWait = (): string | null => {
    for (const m of members) if (m.startedOnce && !m.alive() && !m.expectDown) return `server ${m.id} exited`;
    return null;
  };
  const waitForLeader = async (ms = timeoutMs): Promise<EnsembleMember> => {
    const deadline = Date.now() + ms;
    let last = new Map<number, MemberMode>();
    for (;;) {
      last = await modes();
      const leaders = [...last].filter(([, mode]) => mode === 'leader');
      if (leaders.length === 1) return byId(leaders[0]![0]);
      const exited = exitedDuringWait();
      if (exited !== null) throw new Error(`${kind} ensemble: ${exited} while waiting for a leader\n${logTail(40)}`);
      if (Date.now() > deadline) {
        throw new Error(`${kind} ensemble: no single leader after ${ms} ms (modes ${fmtModes(last)})\n${logTail(40)}`);
      }
      await sleep(100);
    }
  };
  const waitServing = async (ids?: readonly number[], ms = timeoutMs): Promise<void> => {
    const want = (ids ?? members.filter((m) => m.alive()).map((m) => m.id)).map(byId);
    const deadline = Date.now() + ms;
    for (;;) {
      const got = await Promise.all(want.map((m) => m.mode(2000)));
      if (got.every(isServing)) return;
      const exited = exitedDuringWait();
      if (exited !== null) throw new Error(`${kind} ensemble: ${exited} while waiting for members to serve\n${logTail(40)}`);
      if (Date.now() > deadline) {
        const desc = want.map((m, i) => `${m.id}=${got[i]}`).join(' ');
        throw new Error(`${kind} ensemble: members not serving after ${ms} ms (${desc})\n${logTail(40)}`);
      }
      await sleep(100);
    }
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(members.map((m) => m.stop()));
    // maxRetries: a member's last writes may still be landing (ENOTEMPTY while walking the tree).
    if (!keep) rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };

  const ens: RunningEnsemble = {
    kind,
    host,
    root,
    members,
    connectString: members.map((m) => m.connectString).join(','),
    member: byId,
    connectStringOf: (ids) => ids.map((id) => byId(id).connectString).join(','),
    modes,
    leader,
    waitForLeader,
    waitServing,
    logTail,
    stop,
  };

  try {
    const order = opts.startOrder ?? members.map((m) => m.id);
    for (const [i, id] of order.entries()) {
      if (i > 0 && (opts.startDelayMs ?? 0) > 0) await sleep(opts.startDelayMs!);
      byId(id).spawn();
    }
    if (opts.waitServing ?? true) {
      await waitForLeader(timeoutMs);
      await waitServing(order, timeoutMs);
    }
  } catch (e) {
    const bindFailure = members.some((m) => BIND_ERROR.test(m.logs()));
    const text = bindFailure ? `a member could not bind its port (EADDRINUSE): ${(e as Error).message}` : (e as Error).message;
    await stop();
    throw new Error(text);
  }
  return ens;
}

function fmtModes(m: Map<number, MemberMode>): string {
  return [...m].map(([id, mode]) => `${id}=${mode}`).join(' ');
}

interface Member extends EnsembleMember {
  spawn(): void;
  startedOnce: boolean;
  /** Set while the test means the member to be down (killed or stopped), so waits do not fail on it. */
  expectDown: boolean;
}

function makeMember(
  kind: ServerKind,
  spec: EnsembleMemberSpec,
  all: readonly EnsembleMemberSpec[],
  root: string,
  settings: ServerSettings,
  limits: { initLimit: number; syncLimit: number },
  defaultTimeoutMs: number,
  logLevel: string | undefined,
): Member {
  const dir = join(root, `server${spec.id}`);
  const dataDir = join(dir, 'data');
  const cfgPath = join(dir, 'zoo.cfg');
  const logPath = join(dir, 'server.log');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(cfgPath, ensembleCfgLines(settings, dataDir, spec, all, limits).join('\n') + '\n');
  writeFileSync(join(dataDir, 'myid'), `${spec.id}\n`);
  const { command, args } = serverCommand(kind, settings, cfgPath, dir, 'ensemble', logLevel);
  if (kind === 'zkts' && logLevel !== undefined) args.push('--log-level', logLevel);

  let proc: GroupProcess | null = null;
  let runOffset = 0;
  let paused = false;
  const logs = (which: 'all' | 'run' = 'all'): string => {
    try {
      const text = readFileSync(logPath);
      return (which === 'run' ? text.subarray(runOffset) : text).toString('utf8');
    } catch {
      return '';
    }
  };
  const srvr = (timeoutMs = 3000): Promise<string> => fourLetterWord(spec.host, spec.clientPort, 'srvr', timeoutMs);
  const mode = async (timeoutMs = 3000): Promise<MemberMode> => {
    if (paused) return 'unresponsive';
    try {
      return parseSrvrMode(await srvr(timeoutMs));
    } catch {
      return 'down';
    }
  };
  const m: Member = {
    id: spec.id,
    type: spec.type,
    host: spec.host,
    clientPort: spec.clientPort,
    quorumPort: spec.quorumPort,
    electionPort: spec.electionPort,
    connectString: `${spec.host}:${spec.clientPort}`,
    dir,
    dataDir,
    cfgPath,
    logPath,
    get pid() {
      return proc?.alive() ? proc.pid : -1;
    },
    get paused() {
      return paused;
    },
    startedOnce: false,
    expectDown: false,
    logs,
    roleEvents: (which = 'all') => ensembleRoleEvents(logs(which)),
    alive: () => proc?.alive() ?? false,
    spawn() {
      if (proc?.alive()) throw new Error(`${kind} server ${spec.id} is already running`);
      runOffset = existsSync(logPath) ? statSync(logPath).size : 0;
      paused = false;
      m.expectDown = false;
      m.startedOnce = true;
      proc = spawnGroup(command, args, { cwd: dir, logPath });
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const p = proc;
      if (p === null) return;
      if (signal === 'SIGKILL') {
        m.expectDown = true;
        paused = false;
        await p.kill();
      } else if (signal === 'SIGTERM') {
        m.expectDown = true;
        await stopProc(p);
      } else {
        if (signal === 'SIGSTOP' || signal === 'SIGTSTP') paused = true;
        if (signal === 'SIGCONT') paused = false;
        p.signal(signal);
      }
    },
    async start(o = {}) {
      m.spawn();
      if (o.waitServing ?? true) await waitMemberServing(o.timeoutMs ?? defaultTimeoutMs);
    },
    async restart(o = {}) {
      await m.kill('SIGKILL');
      await m.start(o);
    },
    async stop() {
      m.expectDown = true;
      const p = proc;
      if (p !== null) await stopProc(p);
    },
    srvr,
    mode,
    waitServing: (timeoutMs = defaultTimeoutMs) => waitMemberServing(timeoutMs),
  };
  const stopProc = async (p: GroupProcess): Promise<void> => {
    if (paused) {
      // A stopped process cannot act on SIGTERM: let it run again to end cleanly.
      p.signal('SIGCONT');
      paused = false;
    }
    await p.stop(5000);
  };
  const waitMemberServing = async (timeoutMs: number): Promise<MemberMode> => {
    const deadline = Date.now() + timeoutMs;
    let last: MemberMode = 'down';
    for (;;) {
      const p = proc;
      if (p !== null && !p.alive()) {
        const exit = p.exitStatus();
        throw new Error(`${kind} server ${spec.id} exited (code ${exit?.code}, signal ${exit?.signal}) before serving; log tail:\n${tail(logs('run'), 40)}`);
      }
      last = await mode(2000);
      if (isServing(last)) return last;
      if (Date.now() > deadline) throw new Error(`${kind} server ${spec.id} not serving after ${timeoutMs} ms (${last}); log tail:\n${tail(logs('run'), 40)}`);
      await sleep(100);
    }
  };
  return m;
}
