import transportCompliance from '@zk/transport/compliance';
import { memoryNetwork, memoryTransport } from '../src/index.js';

transportCompliance({
  name: 'memory, one private network',
  async create() {
    return { transport: memoryTransport(), listenAddress: { host: 'localhost', port: 0 } };
  },
});

transportCompliance({
  name: 'memory, 1 ms latency, listening on a wildcard host',
  async create() {
    const network = memoryNetwork({ latencyMs: 1 });
    return { transport: network.transport({ host: 'server1' }), listenAddress: { host: '0.0.0.0', port: 0 } };
  },
});
