// A ConfigCache keeps a JSON config node as a local, always-current value; two writers update it
// with versioned compare-and-set and none of their updates is lost.
//   node docs/examples/config.mjs
import { connect } from '@zk/client';
import { ConfigCache, jsonCodec } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const path = `/examples/config-${process.pid}`;
const codec = jsonCodec();

const reader = await connect(connectString);
const config = new ConfigCache(reader, path, { codec });
config.on('change', (value, stat) => console.log(`config is now ${JSON.stringify(value)} (version ${stat?.version ?? '-'})`));
await config.start();

const writers = [await connect(connectString), await connect(connectString)];
await Promise.all(
  writers.flatMap((zk) => {
    const cache = new ConfigCache(zk, path, { codec });
    return [1, 2, 3].map(() => cache.update((current) => ({ ...current, requests: (current?.requests ?? 0) + 1 })));
  }),
);
await new Promise((resolve) => {
  if (config.value?.requests === 6) return resolve();
  const off = config.on('change', (value) => value?.requests === 6 && (off(), resolve()));
});
console.log(`six updates from two writers: requests = ${config.value.requests}`);

await config.close();
await reader.delete(path);
await Promise.all([reader, ...writers].map((zk) => zk.close()));
