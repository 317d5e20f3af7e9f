// Service discovery: two instances of "api" register (ephemeral, JSON); a ServiceCache follows
// them; one instance goes away and the cache notices.
//   node docs/examples/registry.mjs
import { connect } from '@zk/client';
import { ServiceRegistry } from '@zk/recipes';

const connectString = process.env.ZK_CONNECT ?? '127.0.0.1:2181';
const base = `/examples/services-${process.pid}`;

const client = await connect(connectString);
const discovery = new ServiceRegistry(client, base);
const cache = await discovery.watch('api');
const seen = new Promise((resolve) => {
  cache.on('change', (instances) => {
    console.log('api instances:', instances.map((i) => `${i.address}:${i.port}`).join(', ') || '(none)');
    if (instances.length === 0) resolve();
  });
});

const server1 = await connect(connectString);
const server2 = await connect(connectString);
const a = await new ServiceRegistry(server1, base).register({ name: 'api', address: '10.0.0.1', port: 8080, payload: { zone: 'a' } });
await new ServiceRegistry(server2, base).register({ name: 'api', address: '10.0.0.2', port: 8080, payload: { zone: 'b' } });
console.log('queried:', (await discovery.queryInstances('api')).map((i) => i.payload.zone).join(', '));

await a.unregister(); // a clean shutdown
await server2.close(); // a crash looks the same once the session ends
await seen;
await cache.close();
await Promise.all([client, server1].map((zk) => zk.close()));
