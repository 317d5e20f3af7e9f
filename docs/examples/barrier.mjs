// A double barrier: three members start a phase together and finish it together.
//   node docs/examples/barrier.mjs
import { connect } from '@zk/client';
import { DoubleBarrier } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const path = `/examples/barrier-${process.pid}`;

async function member(name, workMs) {
  const zk = await connect(connectString);
  const barrier = new DoubleBarrier(zk, path, 3, { id: name });
  console.log(`${name} waits for the others`);
  await barrier.enter();
  console.log(`${name} starts (all three are in)`);
  await new Promise((r) => setTimeout(r, workMs));
  console.log(`${name} is done and waits for the others`);
  await barrier.leave();
  console.log(`${name} leaves (all three are done)`);
  await zk.close();
}

await Promise.all([member('a', 10), member('b', 100), member('c', 50)]);
