// A loopback TCP proxy in front of a server, so a test can break one client's connection alone
// with a real server behind it: reset it, refuse new ones (what a partition looks like to the
// client), or hold one direction back (a request that never arrives, a reply that never comes).

import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Resets every open connection (both sides) and ends a `hold`. */
  cut(): void;
  /** While blocked, new connections are accepted and reset at once. */
  block(): void;
  unblock(): void;
  /** Drops what one direction carries ('up': client to server, 'down': server to client) until the next `cut`. */
  hold(direction: 'up' | 'down'): void;
  /** Bytes dropped by `hold` so far. */
  readonly dropped: number;
  /** Connections currently proxied. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let blocked = false;
  let held: 'up' | 'down' | undefined;
  let dropped = 0;
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
    // Held bytes are dropped, not delayed: what a broken link loses.
    client.on('data', (d) => {
      if (held !== 'up') upstream.write(d);
      else dropped += d.length;
    });
    upstream.on('data', (d) => {
      if (held !== 'down') client.write(d);
      else dropped += d.length;
    });
    for (const s of pair) {
      s.on('error', drop);
      s.on('close', drop);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    cut() {
      held = undefined;
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
    hold(direction) {
      held = direction;
    },
    get dropped() {
      return dropped;
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
