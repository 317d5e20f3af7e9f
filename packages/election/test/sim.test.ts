import { makeZxid } from '@zk/zxid';
import { describe, expect, it } from 'vitest';
import { hierarchicalQuorum } from '../src/index.js';
import { CALM, forSeeds, newCluster, randomData, randomFaults, rankOf, type SimCluster } from './sim/cluster.js';

// Seeds per property; override with SEEDS=<n> (SEED=<n> replays a single one).
const SEEDS = Number(process.env['SEEDS'] ?? 250);
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

/** Boots `ids` at random times within the first `spread` ticks. */
function staggeredBoot(c: SimCluster, ids: readonly number[], spread: number): void {
  const at = new Map(ids.map((id) => [id, c.rng.int(0, spread)]));
  for (let t = 0; t <= spread; t++) {
    for (const id of ids) if (at.get(id) === t) c.boot(id);
    c.step();
  }
}

function converge(c: SimCluster, scope?: readonly number[], budget = 800): number {
  c.faults = CALM;
  c.runUntil(() => c.convergedLeader(scope) !== undefined, budget, 'convergence');
  return c.convergedLeader(scope) as number;
}

describe.each([
  [3, 0],
  [3, 2],
  [5, 0],
  [5, 2],
])('%i voters, %i observers', (nv, no) => {
  const voters = range(1, nv);
  const observers = range(nv + 1, no);
  const all = [...voters, ...observers];

  it('cold start under faults: everyone converges on one leader that tops a quorum', () => {
    const runs = forSeeds(SEEDS, (seed) => {
      const c = newCluster({ seed, voters, observers });
      for (const id of all) c.setData(id, randomData(c.rng));
      const initial = c.snapshotData();
      c.faults = randomFaults(c.rng);
      staggeredBoot(c, all, 15);
      c.run(c.rng.int(0, 150));
      const leader = converge(c);
      expect(voters).toContain(leader);
      const first = c.establishments[0];
      expect(first).toBeDefined();
      // The first leader ever established was elected from unchanged data.
      expect(c.leaderTopsAQuorum(first!.leader, initial)).toBe(true);
      // Observers are never elected and never decide anything but OBSERVING.
      for (const d of c.decisions) if (observers.includes(d.id)) expect(d.decision.state).toBe('OBSERVING');
    });
    expect(runs).toBeGreaterThan(0);
  });

  it('prompt delivery and a simultaneous start elect the best server', () => {
    forSeeds(SEEDS, (seed) => {
      const c = newCluster({ seed, voters, observers });
      for (const id of all) c.setData(id, randomData(c.rng));
      const initial = c.snapshotData();
      for (const id of all) c.boot(id);
      const leader = converge(c, undefined, 200);
      const best = [...voters].sort((a, b) => (rankOf(a, initial.get(a)!) < rankOf(b, initial.get(b)!) ? -1 : 1)).at(-1);
      expect(leader).toBe(best);
      // Nobody changed its mind: exactly one decision per server.
      expect(c.decisions.length).toBe(all.length);
    });
  });

  it('re-elects after the leader crashes, keeping every committed txn', () => {
    forSeeds(SEEDS, (seed) => {
      const c = newCluster({ seed, voters, observers });
      for (const id of all) c.setData(id, randomData(c.rng));
      staggeredBoot(c, all, 5);
      const old = converge(c);
      c.run(c.rng.int(5, 40)); // some writes, with followers lagging at random
      const committed = c.committed;
      c.crash(old);
      // With 5 voters, sometimes lose one more voter: 3 of 5 is still a quorum.
      if (nv === 5 && c.rng.chance(0.5)) c.crash(c.rng.pick(voters.filter((v) => v !== old)));
      c.faults = randomFaults(c.rng);
      c.run(c.rng.int(0, 100));
      const next = converge(c);
      expect(next).not.toBe(old);
      const est = c.establishments.at(-1)!;
      expect(est.leader).toBe(next);
      expect(est.leaderZxid >= committed).toBe(true);
      // The old leader comes back and joins the new ensemble as a follower.
      c.boot(old);
      c.faults = randomFaults(c.rng);
      c.run(c.rng.int(0, 60));
      expect(converge(c)).toBe(next);
    });
  });

  it('a late joiner learns the established leader without disturbing it', () => {
    forSeeds(SEEDS, (seed) => {
      const c = newCluster({ seed, voters, observers });
      for (const id of all) c.setData(id, randomData(c.rng));
      const joiner = c.rng.pick(all);
      const others = all.filter((id) => id !== joiner);
      staggeredBoot(c, others, 5);
      const leader = converge(c, others);
      c.run(c.rng.int(0, 30));
      const established = c.establishments.length;
      // Half the time the joiner carries a higher zxid than anyone: it still follows.
      if (c.rng.chance(0.5)) c.setData(joiner, { epoch: 9, zxid: makeZxid(9, 99) });
      c.faults = randomFaults(c.rng);
      c.boot(joiner);
      c.run(c.rng.int(0, 60));
      expect(converge(c)).toBe(leader);
      expect(c.establishments.length).toBe(established);
      const mine = c.decisions.filter((d) => d.id === joiner);
      expect(mine.length).toBe(1);
      expect(mine[0]!.decision.leader).toBe(leader);
      expect(mine[0]!.decision.state).toBe(observers.includes(joiner) ? 'OBSERVING' : 'FOLLOWING');
    });
  });
});

describe('partitions and non-voters', () => {
  it('a minority partition never decides; the majority does; healing joins them', () => {
    forSeeds(SEEDS, (seed) => {
      const voters = range(1, 5);
      const observers = [6];
      const c = newCluster({ seed, voters, observers });
      for (const id of [...voters, ...observers]) c.setData(id, randomData(c.rng));
      const shuffled = c.rng.shuffle([...voters]);
      const minority = [...shuffled.slice(0, 2), 6];
      const majority = shuffled.slice(2);
      c.partition([minority, majority]);
      c.faults = randomFaults(c.rng);
      staggeredBoot(c, [...voters, ...observers], 10);
      c.run(c.rng.int(50, 200));
      const leader = converge(c, majority);
      expect(majority).toContain(leader);
      c.run(50);
      for (const d of c.decisions) expect(minority).not.toContain(d.id);
      c.partition(undefined);
      expect(converge(c)).toBe(leader);
    });
  });

  it('observers are never counted: one voter plus any number of observers never decides', () => {
    forSeeds(SEEDS, (seed) => {
      const voters = [1, 2, 3];
      const observers = [4, 5, 6];
      const c = newCluster({ seed, voters, observers });
      for (const id of [1, 2, 3, 4, 5, 6]) c.setData(id, randomData(c.rng));
      const lone = c.rng.pick(voters);
      c.faults = randomFaults(c.rng);
      staggeredBoot(c, [lone, ...observers], 10);
      c.run(150);
      expect(c.decisions).toEqual([]);
      const second = c.rng.pick(voters.filter((v) => v !== lone));
      c.boot(second);
      const leader = converge(c);
      expect([lone, second]).toContain(leader);
    });
  });

  it('a joiner does not follow a crashed leader that its followers still report (checkLeader)', () => {
    forSeeds(SEEDS, (seed) => {
      const voters = range(1, 5);
      const c = newCluster({ seed, voters, syncLimitTicks: 30 });
      for (const id of voters) c.setData(id, randomData(c.rng));
      const joiner = c.rng.pick(voters);
      const others = voters.filter((v) => v !== joiner);
      staggeredBoot(c, others, 5);
      const old = converge(c, others);
      c.crash(old);
      c.run(8); // let every message the old leader sent arrive (CALM: delay <= 1)
      const crashedAt = c.time;
      c.boot(joiner);
      c.faults = randomFaults(c.rng);
      c.run(c.rng.int(0, 80));
      const next = converge(c);
      expect(next).not.toBe(old);
      for (const d of c.decisions) {
        if (d.time > crashedAt) expect(d.decision.leader).not.toBe(old);
      }
    });
  });

  it('weighted hierarchical quorum: a weight-0 voter is never elected, even with the best data', () => {
    forSeeds(SEEDS, (seed) => {
      const quorum = hierarchicalQuorum({ 1: [1, 2, 3], 2: [4, 5, 6] }, { 3: 0 });
      const voters = [1, 2, 3, 4, 5, 6];
      const c = newCluster({ seed, voters, quorum });
      for (const id of voters) c.setData(id, randomData(c.rng));
      c.setData(3, { epoch: 9, zxid: makeZxid(9, 9) });
      c.faults = randomFaults(c.rng);
      staggeredBoot(c, voters, 10);
      c.run(c.rng.int(0, 100));
      const leader = converge(c);
      expect(leader).not.toBe(3);
      for (const d of c.decisions) if (d.id === 3) expect(d.decision.state).toBe('FOLLOWING');
    });
  });
});
