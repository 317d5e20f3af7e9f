// Ensemble bugs found by these tests (and the ensemble difftest) and fixed since, kept as
// regression tests. They pass against ZooKeeper too (ZK_ENSEMBLE_TARGET=zookeeper).

import { describe, expect, it } from 'vitest';
import { connect, isZooKeeperError } from '@zk/client';
import { CLIENT_OPTIONS } from './support/load.js';
import { startTestEnsemble, TARGET, TARGET_NAME, targetAvailable } from './support/target.js';

const zkTsOnly = TARGET === 'zkts' ? it : it.skip;

describe.skipIf(!targetAvailable)(`${TARGET_NAME}: fixed ensemble bugs stay fixed`, () => {
  // Found here (and by the bench), fixed in d76d693: a client's first write through a follower,
  // sent as soon as its session was established, was sometimes refused with SESSIONEXPIRED.
  // The follower answers the ConnectResponse once the createSession txn is committed and applied
  // there; the leader registers a session only when it applies the txn itself, and it applies only
  // what is durable in its own log (@zk/zab core.deliver: e.seq <= durableSeq). When the two
  // followers' ACKs formed the quorum before the leader's own fsync finished, the client's next
  // write reaches the leader's prep (ServerCore.prepareEntry -> sessions.checkSession) before the
  // leader had applied the createSession: SESSIONEXPIRED. ZooKeeper's leader registers the session
  // at prep time (PrepRequestProcessor), as zk-ts now does. Before the fix: 9-19% of such sessions
  // on a loaded machine (runs of 200-300 sessions); ZooKeeper: 0 of 800.
  it("a session's first write through a follower is not refused with SESSIONEXPIRED", async () => {
    const ens = await startTestEnsemble({ servers: 3 });
    try {
      const leader = await ens.waitForLeader();
      const followers = ens.members.filter((m) => m.id !== leader.id);
      let next = 0;
      const refused: string[] = [];
      const sessions = 300;
      // 4 lanes, each: connect to a follower, create at once, close; stop at the first refusal.
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < sessions && refused.length === 0) {
          const i = next++;
          const zk = await connect(followers[i % 2]!.connectString, { ...CLIENT_OPTIONS, sessionTimeoutMs: 10_000, timeoutMs: 30_000 });
          try {
            await zk.create(`/first-write-${i}`, 'x');
          } catch (e) {
            if (!isZooKeeperError(e, 'SESSIONEXPIRED')) throw e;
            refused.push(`session ${i} (0x${zk.sessionId.toString(16)}) via server ${followers[i % 2]!.id}`);
          } finally {
            await zk.close();
          }
        }
      }));
      expect(refused, `first writes refused with SESSIONEXPIRED after ${next} sessions`).toEqual([]);
    } finally {
      await ens.stop();
    }
  });
  // Found by the ensemble difftest, fixed in 35e6567: /zookeeper/config was empty in a zk-ts
  // ensemble. ZooKeeper 3.8 keeps the membership there, where reconfig-aware clients (Curator's
  // EnsembleTracker, zkCli `config`) read it: one `server.N=host:quorumPort:electionPort:role;
  // clientHost:clientPort` line per member, then `version=0` (stat: mtime = start, version -1).
  it('/zookeeper/config lists the ensemble members', async () => {
    const ens = await startTestEnsemble({ servers: 3, observers: 1 });
    try {
      const zk = await connect(ens.members[0]!.connectString, { ...CLIENT_OPTIONS, timeoutMs: 30_000 });
      try {
        const { data } = await zk.getConfig();
        const lines = (data?.toString('utf8') ?? '').split('\n');
        for (const m of ens.members) {
          expect(lines).toContain(`server.${m.id}=${m.host}:${m.quorumPort}:${m.electionPort}:${m.type};${m.host}:${m.clientPort}`);
        }
        expect(lines).toContain('version=0');
      } finally {
        await zk.close();
      }
    } finally {
      await ens.stop();
    }
  });

  // Found here, fixed in @zk/datatree prep.ts (the setACL change record now carries the new ACL).
  // Before the fix (zk-ts, and ZooKeeper 3.8.0 more rarely): a write that follows an acknowledged setACL was
  // sometimes checked against the ACL from before the setACL, e.g. a delete under a node made
  // read-only succeeds. The leader checks a write against its tree plus the change records of txns
  // it has proposed but not applied, and the setACL change record keeps the old ACL (prep.ts
  // setACL: `next.acl` is never set; ZooKeeper's PrepRequestProcessor has the same omission). So
  // from the setACL's proposal until the leader applies it, the old ACL rules; the owner's client
  // hears OK from its follower inside that window. zk-ts's leader applies a commit only once it is
  // durable in its own log, which can be after the followers applied it and answered (the same lag
  // caused the SESSIONEXPIRED bug in regressions.ensemble.ts), so the window is wider: in runs of
  // 400 rounds as below, 53-58 deletes got through on zk-ts, 3-10 on ZooKeeper. Not run against
  // ZooKeeper: it has the bug, but too rarely for this test to fail every time.
  // ZooKeeper 3.8.0 keeps the omission, so this runs against zk-ts only.
  zkTsOnly('a write after an acknowledged setACL is checked against the new ACL', async () => {
    const ens = await startTestEnsemble({ servers: 3 });
    try {
      const leader = await ens.waitForLeader();
      const followers = ens.members.filter((m) => m.id !== leader.id);
      let next = 0;
      const allowed: string[] = [];
      const rounds = 400;
      await Promise.all(Array.from({ length: 4 }, async (_, lane) => {
        const f = followers[lane % 2]!;
        const owner = await connect(f.connectString, { ...CLIENT_OPTIONS, timeoutMs: 30_000 });
        const user = await connect(f.connectString, { ...CLIENT_OPTIONS, timeoutMs: 30_000 });
        try {
          await owner.sync('/');
          while (next < rounds && allowed.length === 0) {
            const i = next++;
            await owner.create(`/acl-${i}`, 'data');
            await owner.create(`/acl-${i}/k`, 'kid');
            await owner.setACL(`/acl-${i}`, [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]); // READ only
            try {
              await user.delete(`/acl-${i}/k`); // needs DELETE on /acl-<i>
              allowed.push(`/acl-${i}/k`);
            } catch (e) {
              if (!isZooKeeperError(e, 'NOAUTH')) throw e;
            }
          }
        } finally {
          await owner.close();
          await user.close();
        }
      }));
      expect(allowed, `deletes allowed under a read-only parent (after ${next} rounds)`).toEqual([]);
    } finally {
      await ens.stop();
    }
  });
});
