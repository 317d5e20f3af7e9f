import { describe, expect, it } from 'vitest';
import { TestCluster, text } from './support.js';

describe('ensemble of 3', () => {
  it('elects a leader and replicates 100 proposals to every peer', async () => {
    const c = new TestCluster(3);
    await c.startAll();
    const leader = await c.stable();
    expect(c.running().filter((m) => m.peer.state === 'LEADING')).toHaveLength(1);
    for (let i = 0; i < 100; i++) expect(leader.peer.propose(text(`p${i}`)).ok).toBe(true);
    await c.until(() => c.running().every((m) => m.machine.items.length === 100), 60_000, 'all applied');
    const first = leader.machine.items;
    for (const m of c.running()) expect(m.machine.items).toEqual(first);
  });

  it('survives the loss of the leader; the old leader restarts on its storage and catches up', async () => {
    const c = new TestCluster(3);
    await c.startAll();
    const l1 = await c.stable();
    for (let i = 0; i < 50; i++) l1.peer.propose(text(`a${i}`));
    await c.until(() => c.running().every((m) => m.machine.items.length === 50), 60_000, 'first batch');
    const storage = await c.crash(l1.spec.sid);
    const l2 = await c.stable();
    expect(l2.spec.sid).not.toBe(l1.spec.sid);
    for (let i = 0; i < 50; i++) expect(l2.peer.propose(text(`b${i}`)).ok).toBe(true);
    await c.until(() => c.running().every((m) => m.machine.items.length === 100), 60_000, 'second batch');
    const back = await c.launch(l1.spec, storage);
    await c.until(() => back.peer.serving && back.machine.items.length === 100, 60_000, 'old leader caught up');
    expect(back.peer.state).toBe('FOLLOWING');
    const want = l2.machine.items;
    for (const m of c.running()) expect(m.machine.items).toEqual(want);
  });

  it.each([
    ['in one frame', undefined],
    ['split into 16-byte parts', 16],
  ])('a follower far behind catches up by SNAP (%s)', async (_name, snapPartBytes) => {
    const c = new TestCluster(3, 0, 10, snapPartBytes);
    await c.startAll();
    const l = await c.stable();
    const lagging = c.running().find((m) => m !== l)!;
    const storage = await c.crash(lagging.spec.sid);
    for (let i = 0; i < 60; i++) expect(l.peer.propose(text(`s${i}`)).ok).toBe(true);
    await c.until(() => c.running().every((m) => m.machine.items.length === 60), 60_000, 'two applied');
    const back = await c.launch(lagging.spec, storage);
    let restored = false;
    const orig = back.machine.restore.bind(back.machine);
    back.machine.restore = (d) => {
      restored = true;
      orig(d);
    };
    await c.until(() => back.peer.serving && back.machine.items.length === 60, 60_000, 'SNAP catch-up');
    expect(restored).toBe(true);
    expect(back.machine.items).toEqual(l.machine.items);
    // and it keeps up afterwards
    l.peer.propose(text('after'));
    await c.until(() => back.machine.items.length === 61, 60_000, 'after SNAP');
  });

  it('forwards learner writes to the leader (REQUEST) and completes sync', async () => {
    const c = new TestCluster(3);
    await c.startAll();
    const leader = await c.stable();
    leader.peer.onRequest((from, payload) => {
      leader.peer.propose(text(`from${from}:${new TextDecoder().decode(payload)}`));
    });
    const follower = c.running().find((m) => m !== leader)!;
    expect(follower.peer.forward(text('w'))).toBe(true);
    let synced: bigint | undefined;
    await c.until(() => follower.machine.items.length === 1, 60_000, 'forwarded write');
    void follower.peer.sync().then((z) => (synced = z));
    await c.until(() => synced !== undefined, 60_000, 'sync');
    expect(follower.machine.items).toEqual([`from${follower.spec.sid}:w`]);
    expect(synced).toBe(follower.peer.lastApplied);
  });
});

describe('observer', () => {
  it('applies everything and never votes', async () => {
    const c = new TestCluster(3, 1);
    await c.startAll();
    const leader = await c.stable();
    const obs = c.member(4);
    expect(obs.peer.state).toBe('OBSERVING');
    for (let i = 0; i < 20; i++) leader.peer.propose(text(`o${i}`));
    await c.until(() => obs.machine.items.length === 20, 60_000, 'observer applied');
    expect(obs.machine.items).toEqual(leader.machine.items);
    // Two voters down: the remaining voter plus the observer is no quorum.
    const others = c.running().filter((m) => m !== obs && m !== leader);
    await c.crash(leader.spec.sid);
    await c.crash(others[0]!.spec.sid);
    await c.clock.advance(5_000);
    expect(c.running().some((m) => m.peer.state === 'LEADING')).toBe(false);
    expect(c.fatal).toEqual([]);
  });
});
