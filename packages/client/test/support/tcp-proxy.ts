// A loopback TCP proxy in front of a server, so tests can cut a client's connection or refuse
// new ones (what a network partition looks like to the client) with a real server behind it.

import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Resets every open connection (both sides). */
  cut(): void;
  /** While blocked, new connections are accepted and reset at once. */
  block(): void;
  unblock(): void;
  /** Connections currently proxied. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let blocked = false;
  const server = net.createServer((client) => {
    if (blocked) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    cut() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair[0].resetAndDestroy();
        pair[1].destroy();
      }
    },
    block() {
      blocked = true;
    },
    unblock() {
      blocked = false;
    },
    get open() {
      return pairs.size;
    },
    async close() {
      proxy.cut();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return proxy;
}
