// A TreeCache mirrors a whole subtree (one persistent recursive watch) and reports every change.
//   node docs/examples/tree-cache.mjs
import { connect } from '@zk/client';
import { TreeCache } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const root = `/examples/tree-${process.pid}`;

const zk = await connect(connectString);
await zk.create('/examples', null, { mode: 'CONTAINER' }).catch(() => {}); // may exist
await zk.create(root, 'settings');
await zk.create(`${root}/db`, 'postgres://db:5432');

const cache = new TreeCache(zk, root);
let changes = 0;
const allSeen = new Promise((resolve) => {
  cache.on('change', (e) => {
    console.log(`${e.type} ${e.node.path.slice(root.length) || '/'} = ${e.node.data ?? ''}`);
    if (++changes === 5) resolve();
  });
});
await cache.start(); // reports the two existing nodes as added
await zk.create(`${root}/cache`, 'redis://cache:6379');
await zk.setData(`${root}/db`, 'postgres://db2:5432');
await zk.delete(`${root}/cache`);
await allSeen;
console.log('cached now:', [...cache.entries()].map((n) => n.path.slice(root.length) || '/').sort().join(' '));
await cache.close();
await zk.delete(`${root}/db`);
await zk.delete(root);
await zk.close();
