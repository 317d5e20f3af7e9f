// Three workers share one Mutex path; each increments a shared value three times, and every
// write is fenced (it applies only while the writer still holds the lock).
//   node docs/examples/lock.mjs
import { connect } from '@zk/client';
import { Mutex } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const base = `/examples/lock-${process.pid}`;

const admin = await connect(connectString);
await admin.create('/examples', null, { mode: 'CONTAINER' }).catch(() => {}); // may exist
await admin.create(base);
await admin.create(`${base}/balance`, '0');

async function worker(name) {
  const zk = await connect(connectString);
  const mutex = new Mutex(zk, `${base}/lock`, { data: name });
  for (let i = 0; i < 3; i++) {
    await mutex.use(async () => {
      const { data, stat } = await zk.getData(`${base}/balance`);
      const next = Number(data) + 1;
      await zk.multi([mutex.fenceOp(), { type: 'setData', path: `${base}/balance`, data: String(next), version: stat.version }]);
      console.log(`${name} holds ${mutex.nodePath.slice(base.length + 1)} and wrote ${next}`);
    });
  }
  await zk.close();
}

await Promise.all(['alice', 'bob', 'carol'].map(worker));
console.log(`final balance: ${(await admin.getData(`${base}/balance`)).data}`);
await admin.delete(`${base}/balance`);
await admin.delete(`${base}/lock`).catch(() => {}); // a container: the server may have removed it already
await admin.delete(base);
await admin.close();
