import * as net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Listener } from '@zk/transport';
import { tcpTransport } from '../src/index.js';

const opened: Array<Connection | Listener> = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const item of opened.splice(0)) {
    if ('destroy' in item) item.destroy();
    else await item.close();
  }
});

function received(connection: Connection, bytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return new Promise((resolve) => {
    connection.onData((chunk) => {
      chunks.push(chunk);
      total += chunk.byteLength;
      if (total >= bytes) resolve(Buffer.concat(chunks).toString());
    });
  });
}

async function echoPair(listenHost: string, dialHost: string) {
  const transport = tcpTransport();
  const listener = await transport.listen({ host: listenHost, port: 0 }, (c) => {
    opened.push(c);
    c.onData((chunk) => c.write(chunk));
  });
  opened.push(listener);
  const client = await transport.dial({ host: dialHost, port: listener.address.port });
  opened.push(client);
  return { listener, client };
}

describe('tcp transport', () => {
  it('listens on 0.0.0.0 and accepts a dial to 127.0.0.1', async () => {
    const { listener, client } = await echoPair('0.0.0.0', '127.0.0.1');
    expect(listener.address.host).toBe('0.0.0.0');
    expect(listener.address.port).toBeGreaterThan(0);
    const reply = received(client, 4);
    client.write(Buffer.from('ruok'));
    expect(await reply).toBe('ruok');
  });

  it('listens on :: and accepts a dial to ::1', async () => {
    const { listener, client } = await echoPair('::', '::1');
    expect(listener.address.host).toBe('::');
    expect(client.remoteAddress.host).toBe('::1');
    const reply = received(client, 4);
    client.write(Buffer.from('imok'));
    expect(await reply).toBe('imok');
  });

  it('flushes the writes of one turn as one writev', async () => {
    const { client } = await echoPair('127.0.0.1', '127.0.0.1');
    type Writev = (chunks: Array<{ chunk: Uint8Array }>, cb: () => void) => void;
    const proto = net.Socket.prototype as unknown as { _writev: Writev };
    const writev = vi.spyOn(proto, '_writev');
    const reply = received(client, 300);
    for (let i = 0; i < 100; i++) client.write(Buffer.from('abc'));
    // Nothing is written while the turn is still running...
    expect(writev).not.toHaveBeenCalled();
    expect(await reply).toBe('abc'.repeat(100));
    // ...and then all 100 chunks go to the socket in a single writev.
    const batches = writev.mock.calls.map(([chunks]) => chunks.length);
    expect(batches).toContain(100);
  });

  it('accepts keep-alive and Nagle options', async () => {
    const transport = tcpTransport({ noDelay: false, keepAlive: true, keepAliveInitialDelayMs: 1000, backlog: 16 });
    const listener = await transport.listen({ host: '127.0.0.1', port: 0 }, (c) => {
      opened.push(c);
      c.onData((chunk) => c.write(chunk));
    });
    opened.push(listener);
    const client = await transport.dial(listener.address);
    opened.push(client);
    const reply = received(client, 2);
    client.write(Buffer.from('ok'));
    expect(await reply).toBe('ok');
  });

  it('rejects a non-positive highWaterMark', () => {
    expect(() => tcpTransport({ highWaterMark: 0 })).toThrow(RangeError);
  });

  it('reports needsDrain from its own high-water mark', async () => {
    const transport = tcpTransport({ highWaterMark: 10 });
    const listener = await transport.listen({ host: '127.0.0.1', port: 0 }, (c) => {
      opened.push(c);
      c.onData(() => {});
    });
    opened.push(listener);
    const client = await transport.dial(listener.address);
    opened.push(client);
    const drained = new Promise<void>((resolve) => client.onDrain(resolve));
    client.write(Buffer.alloc(9));
    expect(client.needsDrain).toBe(false);
    client.write(Buffer.alloc(1));
    expect(client.needsDrain).toBe(true);
    expect(client.writableLength).toBe(10);
    await drained;
    expect(client.needsDrain).toBe(false);
  });
});
