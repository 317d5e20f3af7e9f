// Safety under contention and faults, against both servers. Sessions are expired at random (the
// victim is marked dead first: a client cannot know of its expiry before it hears of it, so the
// guarantee is about live sessions) and connections cut at random.
//  - Mutex: never two live holders at once, and a fencing counter written only by fenced
//    compare-and-set never sees a conflict (a conflict would mean two holders inside at once).
//  - LeaderLatch: never two leaders among live sessions.

import { describe, expect, inject, it } from 'vitest';
import { isZooKeeperError, type ZooKeeperClient } from '@zk/client';
import { LeaderLatch, Mutex, type ManagedClient } from '../src/index.js';
import { until, useServer, type Harness } from './support/harness.js';

const WORKERS = 5;
const FENCED_WRITES = 60;
const EXPIRIES = 6;

/** A seeded PRNG (mulberry32), so a failing run can be repeated with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Faults: expire a session chosen by `pick` (marking it dead first), or cut a random connection. */
async function chaos(h: Harness, random: () => number, manageds: ManagedClient[], pick: () => ZooKeeperClient | undefined, dead: Set<bigint>, done: () => boolean): Promise<void> {
  while (!done()) {
    await pause(20 + random() * 80);
    if (random() < 0.6) {
      const victim = pick();
      if (victim === undefined || victim.state !== 'CONNECTED') continue;
      dead.add(victim.sessionId);
      await h.expire(victim);
    } else {
      const m = manageds[Math.floor(random() * manageds.length)]!;
      if (m.client.state === 'CONNECTED') h.proxy(m.client).cut();
    }
  }
}

describe.each(inject('servers'))('safety against $name', (server) => {
  const h = useServer(server);

  it(`mutex: ${WORKERS} contenders, random expiries and cuts, fenced counter`, async () => {
    const seed = Number(process.env['ZK_RECIPES_SEED'] ?? Date.now() % 100_000);
    const random = prng(seed);
    const base = await h.base();
    const lockPath = `${base}/lock`;
    const fence = `${base}/fence`;
    await h.admin.create(fence, '0');
    const manageds = await Promise.all(Array.from({ length: WORKERS }, () => h.managed()));
    const dead = new Set<bigint>();
    const holders = new Map<number, bigint>(); // worker -> session holding the lock
    const violations: string[] = [];
    let writes = 0;
    let uncertain = 0;
    const done = (): boolean => (writes >= FENCED_WRITES && dead.size >= EXPIRIES) || violations.length > 0;

    const worker = async (w: number): Promise<void> => {
      const m = manageds[w]!;
      while (!done()) {
        const mutex = new Mutex(m, lockPath);
        try {
          await mutex.acquire({ timeoutMs: 5000 });
        } catch {
          continue; // session lost while waiting, or a timeout under chaos: queue again
        }
        const zk = m.client;
        const others = [...holders].filter(([other, session]) => other !== w && !dead.has(session));
        if (others.length > 0 && !dead.has(zk.sessionId)) violations.push(`worker ${w} acquired while ${others.map(([o]) => o).join(',')} held the lock`);
        holders.set(w, zk.sessionId);
        try {
          const { data, stat } = await zk.getData(fence);
          await pause(random() * 10);
          const next = Number(data!.toString()) + 1;
          await zk.multi([mutex.fenceOp(), { type: 'setData', path: fence, data: String(next), version: stat.version }]);
          writes++;
        } catch (err) {
          if (isZooKeeperError(err, 'BADVERSION')) violations.push(`worker ${w}: the fence moved while it held the lock`);
          else if (isZooKeeperError(err, 'CONNECTIONLOSS')) uncertain++;
          else if (!isZooKeeperError(err)) throw err;
          // NoNode (the fence check: our lock node is gone) or SessionExpired: the fence held.
        } finally {
          holders.delete(w);
          await mutex.release();
        }
      }
    };

    const pick = (): ZooKeeperClient | undefined => {
      const held = [...holders.keys()];
      const w = held.length > 0 && random() < 0.7 ? held[0]! : Math.floor(random() * WORKERS);
      return manageds[w]!.client;
    };
    const chaosDone = chaos(h, random, manageds, pick, dead, done);
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    await chaosDone;

    expect(violations, `seed ${seed}`).toEqual([]);
    const final = Number((await h.admin.getData(fence)).data!.toString());
    expect(final).toBeGreaterThanOrEqual(writes);
    expect(final).toBeLessThanOrEqual(writes + uncertain);
    expect(dead.size).toBeGreaterThanOrEqual(EXPIRIES);
    await until(async () => ((await h.admin.exists(lockPath))?.numChildren ?? 0) === 0, 'every lock node to go');
  });

  it(`leader latch: ${WORKERS} candidates, random expiries and cuts, never two live leaders`, async () => {
    const seed = Number(process.env['ZK_RECIPES_SEED'] ?? Date.now() % 100_000);
    const random = prng(seed);
    const path = `${await h.base()}/latch`;
    const manageds = await Promise.all(Array.from({ length: WORKERS }, () => h.managed()));
    const dead = new Set<bigint>();
    const latches = manageds.map((m, i) => new LeaderLatch(m, path, { id: `c${i}` }));
    const violations: string[] = [];
    let elections = 0;
    latches.forEach((latch, i) => {
      latch.on('isLeader', () => {
        elections++;
        const live = latches.filter((l, j) => l.hasLeadership && !dead.has(manageds[j]!.client.sessionId));
        if (live.length > 1) violations.push(`c${i} became leader while ${live.length} live latches lead (seed ${seed})`);
      });
    });
    await Promise.all(latches.map((l) => l.start()));
    let rounds = 0;
    const pick = (): ZooKeeperClient | undefined => {
      const leader = latches.findIndex((l) => l.hasLeadership);
      return leader < 0 ? undefined : manageds[leader]!.client;
    };
    const done = (): boolean => rounds >= EXPIRIES || violations.length > 0;
    const chaosDone = chaos(h, random, manageds, pick, dead, done);
    while (!done()) {
      // Each round: wait for a live leader, then for the chaos to have expired one more session.
      await until(() => latches.some((l, j) => l.hasLeadership && !dead.has(manageds[j]!.client.sessionId)) || violations.length > 0, 'a live leader', 20_000);
      const before = dead.size;
      await until(() => dead.size > before || violations.length > 0, 'an expiry', 20_000);
      rounds++;
    }
    await chaosDone;
    expect(violations).toEqual([]);
    await until(() => latches.filter((l) => l.hasLeadership).length === 1, 'one leader at the end', 20_000);
    expect(elections).toBeGreaterThan(EXPIRIES);
    await Promise.all(latches.map((l) => l.close()));
  });
});
