// A work queue with locking consume: a producer puts jobs; two workers take them in FIFO order,
// each job going to one worker, and complete them.
//   node docs/examples/queue.mjs
import { connect } from '@zk/client';
import { Queue } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const path = `/examples/queue-${process.pid}`;

const producer = await connect(connectString);
const queue = new Queue(producer, path);
for (let i = 1; i <= 6; i++) await queue.put(`job-${i}`);

async function worker(name) {
  const zk = await connect(connectString);
  const jobs = new Queue(zk, path);
  for (;;) {
    let item;
    try {
      item = await jobs.take({ timeoutMs: 200 });
    } catch {
      break; // nothing left
    }
    console.log(`${name} does ${item.data}`);
    await item.complete();
  }
  await zk.close();
}

await Promise.all([worker('worker-1'), worker('worker-2')]);
console.log(`left in the queue: ${await queue.size()}`);
for (const dir of ['items', 'taken', '']) await producer.delete(`${path}${dir && '/' + dir}`);
await producer.close();
