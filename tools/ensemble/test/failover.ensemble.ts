// kill -9 the leader of a zk-ts ensemble (ZooKeeper with ZK_ENSEMBLE_TARGET=zookeeper) under write load from several clients: a new leader is
// elected among the survivors, writes resume, every acknowledged write is on every member with its
// data (the killed leader too, once restarted and rejoined), and every member has the same tree.

import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEnsemble } from '@zk/testkit';
import { WriteLoad } from './support/load.js';
import { expectAckedEverywhere, expectSameState, expectSyncedWith, syncOfCurrentRun } from './support/verify.js';
import { startTestEnsemble, TARGET, TARGET_NAME, targetAvailable } from './support/target.js';

let ens: RunningEnsemble | undefined;
afterEach(async () => {
  await ens?.stop();
  ens = undefined;
});

async function killLeaderUnderLoad(servers: number, observers: number): Promise<void> {
  ens = await startTestEnsemble({ servers, observers });
  const leader = await ens.waitForLeader();
  const load = new WriteLoad(ens.connectString, { prefix: '/load', clients: 4, lanes: 4 });
  try {
    await load.start();
    await load.waitForAcks(400, 60_000);

    const killedAt = Date.now();
    await leader.kill('SIGKILL');
    const ackedAtKill = load.ackCount;
    const next = await ens.waitForLeader();
    expect(next.id).not.toBe(leader.id);
    expect(next.type).toBe('participant');
    // Writes resume on the survivors: hundreds more acknowledgements with the old leader dead.
    await load.waitForAcks(ackedAtKill + 400, 60_000);
    expect(load.ackedSince(killedAt)).toBeGreaterThanOrEqual(400);
  } finally {
    await load.stop();
  }

  // The killed leader restarts on its data and rejoins as a follower of the new leader.
  await leader.start();
  const newLeader = (await ens.leader())!;
  expect(newLeader).toBeDefined();
  expect(newLeader.id).not.toBe(leader.id);
  expect(await leader.mode()).toBe('follower');
  const sync = await syncOfCurrentRun(leader);
  expectSyncedWith(sync, newLeader.id);

  const checks = await expectAckedEverywhere(ens.members, '/load', load.acked);
  const digest = await expectSameState(ens.members);
  console.log(
    `${TARGET_NAME} ${servers}+${observers} members: leader ${leader.id} killed, new leader ${newLeader.id}; ` +
      `${load.ackCount} writes acknowledged, ${load.unknown.size} unknown outcomes (${load.describeErrors()}); ` +
      `every member holds ${checks[0]!.nodes} nodes; the old leader rejoined by ${sync.how} ("${sync.reason}"); last zxid${TARGET === 'zkts' ? ': digest' : ''} ${digest}`,
  );
}

describe.skipIf(!targetAvailable)(`kill -9 of the ${TARGET_NAME} leader under write load`, () => {
  it('3 servers and an observer', async () => {
    await killLeaderUnderLoad(3, 1);
  });

  it('5 servers', async () => {
    await killLeaderUnderLoad(5, 0);
  });
});
