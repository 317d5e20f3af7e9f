import transportCompliance from '@zk/transport/compliance';
import { tcpTransport } from '../src/index.js';

transportCompliance({
  name: 'tcp on 127.0.0.1',
  async create() {
    return { transport: tcpTransport(), listenAddress: { host: '127.0.0.1', port: 0 } };
  },
});
