// Members of a zk-ts ensemble start in any order, one at a time, each with `zkserver start
// <its zoo.cfg>`; a member that starts late, or is stopped and started again, joins on its own.

import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEnsemble } from '@zk/testkit';
import { WriteLoad } from './support/load.js';
import { startTestEnsemble, TARGET_NAME, targetAvailable } from './support/target.js';
import { expectAckedEverywhere, expectSameState, expectSyncedWith, syncOfCurrentRun } from './support/verify.js';

let ens: RunningEnsemble | undefined;
afterEach(async () => {
  await ens?.stop();
  ens = undefined;
});

async function writeN(connectString: string, tag: string, n: number): Promise<WriteLoad> {
  const load = new WriteLoad(connectString, { prefix: '/start', tag, clients: 2, lanes: 2, maxAcked: n });
  await load.start();
  await load.finished();
  await load.stop();
  return load;
}

describe.skipIf(!targetAvailable)(`starting a ${TARGET_NAME} ensemble`, () => {
  it('one member at a time, in any order (3, then 1, then 2, a second apart)', async () => {
    ens = await startTestEnsemble({ servers: 3, startOrder: [3, 1, 2], startDelayMs: 1000 });
    const leader = await ens.waitForLeader();
    const modes = await ens.modes();
    expect([...modes.values()].sort()).toEqual(['follower', 'follower', 'leader']);
    const load = await writeN(ens.connectString, 'a', 200);
    await expectAckedEverywhere(ens.members, '/start', load.acked);
    await expectSameState(ens.members);
    for (const m of ens.members) {
      if (m.id === leader.id) continue;
      expectSyncedWith(await syncOfCurrentRun(m), leader.id);
    }
  });

  it('a member started after the others elected joins their leader; one stopped and started again rejoins', async () => {
    // Only 1 and 2 run: with equal (empty) histories the larger id, 2, leads.
    ens = await startTestEnsemble({ servers: 3, startOrder: [1, 2] });
    const leader = await ens.waitForLeader();
    expect(leader.id).toBe(2);
    expect(await ens.member(3).mode()).toBe('down');
    const first = await writeN(ens.connectString, 'a', 100);

    // 3 has the largest id but an empty history: it learns of the established leader and follows it.
    await ens.member(3).start();
    expect(await ens.member(3).mode()).toBe('follower');
    expect((await ens.leader())?.id).toBe(2);
    const joined = await syncOfCurrentRun(ens.member(3));
    expectSyncedWith(joined, 2);

    // A clean stop (SIGTERM) and a start: the member recovers from its data directory and rejoins.
    await ens.member(1).stop();
    const second = await writeN(ens.connectStringOf([2, 3]), 'b', 100);
    await ens.member(1).start();
    const rejoined = await syncOfCurrentRun(ens.member(1));
    expectSyncedWith(rejoined, 2);
    console.log(`${TARGET_NAME}: late joiner 3: "${joined.reason}"; server 1 after a clean stop: "${rejoined.reason}"`);

    const all = new Map([...first.acked, ...second.acked]);
    await expectAckedEverywhere(ens.members, '/start', all);
    await expectSameState(ens.members);
  });
});
