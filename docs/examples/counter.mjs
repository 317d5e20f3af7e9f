// A shared counter: three clients add to it concurrently; versioned compare-and-set means no
// increment is lost.
//   node docs/examples/counter.mjs
import { connect } from '@zk/client';
import { Counter } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const path = `/examples/counter-${process.pid}`;

const clients = await Promise.all([1, 2, 3].map(() => connect(connectString)));
const counters = clients.map((zk) => new Counter(zk, path));
await Promise.all(counters.flatMap((c) => Array.from({ length: 10 }, () => c.increment())));
console.log(`30 increments from 3 clients: ${await counters[0].get()}`);
const swapped = await counters[1].compareAndSet(30, 0);
console.log(`compareAndSet(30, 0): ${swapped}, now ${await counters[2].get()}`);
await clients[0].delete(path);
await Promise.all(clients.map((zk) => zk.close()));
