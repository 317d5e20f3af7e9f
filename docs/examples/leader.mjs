// Three candidates run a LeaderLatch; the leader steps down twice and leadership moves on,
// each candidate having watched only its predecessor.
//   node docs/examples/leader.mjs
import { connect } from '@zk/client';
import { LeaderLatch } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const path = `/examples/leader-${process.pid}`;

const candidates = [];
for (const id of ['node-1', 'node-2', 'node-3']) {
  const zk = await connect(connectString);
  const latch = new LeaderLatch(zk, path, { id });
  latch.on('isLeader', () => console.log(`${id}: I am the leader`));
  latch.on('notLeader', () => console.log(`${id}: I am no longer the leader`));
  await latch.start();
  candidates.push({ zk, latch });
}

const line = await candidates[0].latch.getParticipants();
console.log('in line:', line.map((p) => `${p.id}${p.isLeader ? ' (leader)' : ''}`).join(', '));

for (const { zk, latch } of candidates) {
  await latch.awaitLeadership(); // each in turn, as those before it step down
  await latch.close(); // steps down: the next in line takes over
  await zk.close();
}
