// Failover (issue 7): an ensemble of --servers N (3) under a write load; kill -9 the leader (found
// with `srvr`: "Mode: leader") and time, from just before the signal,
//   (a) until the surviving servers report a settled ensemble again (one "Mode: leader", the rest
//       "Mode: follower"; polled with `srvr` every few ms),
//   (b) until a client write succeeds on a surviving server (a new session, then setData; probed
//       on every survivor in parallel, so the first success counts),
// and, from the load's own acknowledgements, (c) the longest stretch without an acknowledged write.
// Then the killed server is restarted on its data and the round ends once it serves again as a
// follower (rejoin time). Figures are the median (min–max) over the rounds; each round is stored
// as a "repetition" of the system.

import { OpCode } from '@zk/protocol';
import { fourLetterWord } from '@zk/testkit';
import { monoMs, sleep } from './clock.js';
import type { SystemKind } from './config.js';
import { BenchConnection } from './conn.js';
import { longestGap, modeFromSrvr, settledLeader, type ServerMode } from './four-letter.js';
import type { MetricDef, ResultSet, Target } from './metrics.js';
import { splitSessions } from './pool.js';
import type { RunningSystem } from './servers.js';
import { Session } from './session.js';
import { NAMES, def, groupWorkers, idsOfPart, launchOrExplain, setupTree, type RunNotes, type RunnerOptions } from './shared.js';
import { requestTemplate, valueOf } from './wire.js';
import type { DoneResult, Endpoint, WriteLoadResult } from './worker-api.js';

const TARGET_HALF: Target = { op: '<=', ratio: 0.5 };
const BUCKET_MS = 2;
const POLL_MS = 5;

export function failoverDefs(opts: RunnerOptions): MetricDef[] {
  const F = opts.suite.failover;
  const ensemble = opts.servers >= 3;
  const section = ensemble
    ? `Failover (${opts.servers} servers, kill -9 of the leader under ${F.loadSessions} sessions × ${F.loadDepth} setData; median (min–max) of ${F.rounds} rounds)`
    : 'Failover';
  const notMeasured = ensemble ? {} : { notMeasured: 'needs an ensemble: run with --servers 3' };
  return [
    { id: 'failover.roles', section, label: 'kill -9 leader → survivors report leader + follower (srvr)', unit: 'ms', better: 'lower', ...notMeasured },
    { id: 'failover.write', section, label: 'kill -9 leader → first write acknowledged on a survivor (new session + setData)', unit: 'ms', better: 'lower', target: TARGET_HALF, ...notMeasured },
    { id: 'failover.gap', section, label: `load: longest stretch without an acknowledged write (${BUCKET_MS} ms buckets)`, unit: 'ms', better: 'lower', ...notMeasured },
    { id: 'failover.rejoin', section, label: 'killed server restarted → serving as follower again', unit: 's', better: 'lower', note: 'includes process start (JVM / node)', ...notMeasured },
  ];
}

async function modeOf(ep: Endpoint): Promise<ServerMode | null> {
  try {
    return modeFromSrvr(await fourLetterWord(ep.host, ep.port, 'srvr', 1000));
  } catch {
    return null;
  }
}

/**
 * Polls `srvr` on the members with ids `ids` until they form a settled ensemble; resolves with the
 * leader's id and the mono ms at which the deciding answers had all arrived.
 */
async function waitSettled(sys: RunningSystem, ids: readonly number[], timeoutMs: number): Promise<{ leader: number; at: number }> {
  const deadline = monoMs() + timeoutMs;
  const members = ids.map((id) => sys.members.find((m) => m.spec.id === id)!);
  let last: Array<ServerMode | null> = [];
  for (;;) {
    const dead = members.find((m) => !m.alive());
    if (dead) throw new Error(`server ${dead.spec.id} exited\n${sys.logTail(20)}`);
    last = await Promise.all(members.map((m) => modeOf(m.endpoint)));
    const at = monoMs();
    const i = settledLeader(last);
    if (i >= 0) return { leader: ids[i]!, at };
    if (at > deadline) throw new Error(`servers ${ids.join(',')} not settled after ${timeoutMs} ms (modes: ${last.map((m) => m ?? 'not serving').join(', ')})`);
    await sleep(POLL_MS);
  }
}

/** One request on an open connection; resolves with the reply's error code and time. */
function requestOnce(c: BenchConnection, tpl: Uint8Array, op: number, timeoutMs: number): Promise<{ err: number; at: number }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no reply')), timeoutMs);
    c.handler = {
      onReply: (_c, _op, err, _f, _s, at) => {
        clearTimeout(t);
        resolve({ err, at });
      },
      onClose: () => {
        clearTimeout(t);
        reject(new Error('closed'));
      },
    };
    c.sendTemplate(tpl, op);
    c.flush();
  });
}

/**
 * The first write that succeeds on any of `eps`: each endpoint is probed in a loop (new session,
 * setData, POLL_MS pause after a failure) until one succeeds; resolves with its reply time.
 */
async function firstWrite(eps: Endpoint[], tpl: Uint8Array, sessionTimeoutMs: number, timeoutMs: number): Promise<{ at: number; ep: Endpoint; attempts: number }> {
  const deadline = monoMs() + timeoutMs;
  let done = false;
  let attempts = 0;
  const probe = async (ep: Endpoint): Promise<{ at: number; ep: Endpoint; attempts: number }> => {
    while (!done && monoMs() < deadline) {
      attempts++;
      let c: BenchConnection | undefined;
      try {
        c = await BenchConnection.open(ep.host, ep.port, { timeoutMs: sessionTimeoutMs, handshakeTimeoutMs: 2000 });
        const r = await requestOnce(c, tpl, OpCode.setData, 2000);
        if (r.err === 0) {
          done = true;
          c.handler = null;
          void c.closeSession(2000);
          return { at: r.at, ep, attempts };
        }
        c.destroy();
      } catch {
        c?.destroy();
      }
      await sleep(POLL_MS);
    }
    throw new Error(`no write succeeded on ${ep.host}:${ep.port} within ${timeoutMs} ms`);
  };
  return Promise.any(eps.map(probe));
}

export async function runFailover(opts: RunnerOptions, results: ResultSet, notes: RunNotes): Promise<void> {
  if (opts.servers < 3) return; // the metrics say "needs an ensemble"
  const F = opts.suite.failover;
  for (const kind of opts.systems) {
    opts.log(`== ${NAMES[kind]}: failover, ${opts.servers} servers, ${F.rounds} round(s)`);
    const sys = await launchOrExplain(opts, results, notes, kind, false, idsOfPart('failover.'));
    if (sys === null) continue;
    try {
      const admin = await Session.open(sys.endpoints()[0]!);
      await setupTree(admin, opts.valueSize, opts.keys);
      await admin.close();
      await waitSettled(sys, sys.members.map((m) => m.spec.id), F.timeoutMs);
      for (let round = 0; round < F.rounds; round++) await failoverRound(opts, results, notes, sys, kind, round);
    } catch (e) {
      notes.problems.push(`${NAMES[kind]} failover: ${(e as Error).message}`);
      opts.log(`!! ${NAMES[kind]} failover failed: ${(e as Error).message}\n${sys.logTail(20)}`);
    } finally {
      await sys.destroy();
    }
  }
}

async function failoverRound(opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, round: number): Promise<void> {
  const F = opts.suite.failover;
  const allIds = sys.members.map((m) => m.spec.id);
  const group = `failover-${round}`;
  const sessionTimeoutMs = 2 * opts.settings.tickTime; // the minimum: abandoned sessions go soon
  const ws = groupWorkers(opts, F.loadSessions);
  const t0 = monoMs();
  const load = opts.pool.all<WriteLoadResult>((i) => {
    if (!ws.includes(i)) return null;
    const { count, first } = splitSessions(F.loadSessions, opts.pool.size, i);
    return {
      cmd: 'writeLoad',
      args: {
        group,
        spec: {
          endpoints: sys.endpoints(), sessions: count, firstIndex: first, depth: F.loadDepth, keyPrefix: '/bench/data/k', keys: opts.keys,
          valueSize: opts.valueSize, timeoutMs: sessionTimeoutMs, t0, bucketMs: BUCKET_MS,
        },
      },
    };
  });
  let stopped = false;
  const stopLoad = async (): Promise<WriteLoadResult[]> => {
    if (!stopped) {
      stopped = true;
      await opts.pool.all<DoneResult>((i) => (ws.includes(i) ? { cmd: 'writeLoadStop', args: { group } } : null));
    }
    return load;
  };
  let killed = -1;
  try {
    await sleep(F.preKillMs);
    const { leader } = await waitSettled(sys, allIds, 10_000);
    const survivors = allIds.filter((id) => id !== leader);
    const survivorEps = survivors.map((id) => sys.members.find((m) => m.spec.id === id)!.endpoint);
    const tpl = requestTemplate(OpCode.setData, { path: '/bench/data/k0', data: valueOf(opts.valueSize), version: -1 });

    const tKill = await sys.killMember(leader);
    killed = leader;
    const [roles, write] = await Promise.all([waitSettled(sys, survivors, F.timeoutMs), firstWrite(survivorEps, tpl, sessionTimeoutMs, F.timeoutMs)]);
    await sleep(F.afterMs);
    const loads = await stopLoad();

    const buckets: number[] = [];
    for (const r of loads) r.buckets.forEach((n, i) => (buckets[i] = (buckets[i] ?? 0) + n));
    for (let i = 0; i < buckets.length; i++) buckets[i] ??= 0;
    const [gapStart, gapLen] = longestGap(buckets);
    const gapMs = gapLen * BUCKET_MS;
    const gapAtKill = gapStart >= 0 ? t0 + gapStart * BUCKET_MS - tKill : Number.NaN;
    const acked = loads.reduce((s, r) => s + r.acked, 0);
    const connects = loads.reduce((s, r) => s + r.connects, 0);
    const failures = loads.reduce((s, r) => s + r.connectFailures, 0);
    const errs: Record<string, number> = {};
    for (const r of loads) for (const [k, v] of Object.entries(r.errors)) errs[k] = (errs[k] ?? 0) + v;

    // Restart the killed server on its data; the round ends when it serves again.
    sys.respawnMember(leader);
    const tSpawn = monoMs();
    const settled = await waitSettled(sys, allIds, 120_000);
    await sys.waitMemberReady(leader, '/', 60_000);
    killed = -1;
    const rejoinS = (settled.at - tSpawn) / 1000;

    results.record(def(results, 'failover.roles'), kind, round, roles.at - tKill);
    results.record(def(results, 'failover.write'), kind, round, write.at - tKill);
    results.record(def(results, 'failover.gap'), kind, round, gapMs);
    results.record(def(results, 'failover.rejoin'), kind, round, rejoinS);
    if (Object.keys(errs).length > 0) notes.problems.push(`${NAMES[kind]} failover round ${round + 1}: load error replies ${JSON.stringify(errs)}`);
    const newLeader = roles.leader;
    opts.log(
      `   round ${round + 1}: killed leader ${leader} → server ${newLeader} leads after ${(roles.at - tKill).toFixed(0)} ms (srvr), ` +
        `first write ${(write.at - tKill).toFixed(0)} ms (on :${write.ep.port}, ${write.attempts} attempts); ` +
        `load: ${acked} writes acked, longest gap ${gapMs} ms (starting ${gapAtKill.toFixed(0)} ms after the kill), ${connects} sessions opened, ${failures} failed connects; ` +
        `server ${leader} back as ${settled.leader === leader ? 'leader' : 'follower'} in ${rejoinS.toFixed(2)} s`,
    );
    await sleep(500);
  } finally {
    await stopLoad().catch(() => undefined);
    if (killed >= 0 && !sys.members.find((m) => m.spec.id === killed)!.alive()) {
      // A round that failed half-way: bring the member back so the next round has 3 servers.
      try {
        sys.respawnMember(killed);
        await waitSettled(sys, allIds, 120_000);
      } catch (e) {
        notes.problems.push(`${NAMES[kind]} failover: server ${killed} did not come back: ${(e as Error).message}`);
      }
    }
  }
}
