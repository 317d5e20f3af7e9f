import { describe, expect, it } from 'vitest';
import type { Connection } from '@zk/transport';
import { isTransport } from '@zk/transport';
import { memoryNetwork, memoryTransport } from '../src/index.js';
import { Recorder, utf8 } from './recorder.js';
import { settle, VirtualScheduler } from './virtual-scheduler.js';

function setup() {
  const scheduler = new VirtualScheduler();
  const network = memoryNetwork({ scheduler });
  return { scheduler, network };
}

describe('memory network: hosts and addresses', () => {
  it('connects transports of different hosts and reports host addresses', async () => {
    const { scheduler, network } = setup();
    const server = network.transport({ host: 'server1' });
    const client = network.transport({ host: 'client1' });
    expect(isTransport(server)).toBe(true);
    const accepted: Connection[] = [];
    const listener = await server.listen({ host: 'server1', port: 2181 }, (c) => accepted.push(c));
    expect(listener.address).toEqual({ host: 'server1', port: 2181 });
    const dialing = client.dial({ host: 'server1', port: 2181 });
    await scheduler.runUntilIdle();
    const conn = await dialing;
    expect(conn.remoteAddress).toEqual({ host: 'server1', port: 2181 });
    expect(conn.localAddress.host).toBe('client1');
    expect(conn.localAddress.port).toBeGreaterThanOrEqual(49152);
    expect(accepted[0]?.remoteAddress).toEqual(conn.localAddress);
  });

  it('binds a wildcard listen host to the transport host', async () => {
    const { network } = setup();
    const listener = await network.transport({ host: 'server2' }).listen({ host: '0.0.0.0', port: 0 }, () => {});
    expect(listener.address.host).toBe('server2');
    expect(listener.address.port).toBe(49152);
  });

  it('keeps ports per host: the same port on two hosts, but not twice on one', async () => {
    const { network } = setup();
    await network.transport({ host: 'a' }).listen({ host: 'a', port: 2181 }, () => {});
    await network.transport({ host: 'b' }).listen({ host: 'b', port: 2181 }, () => {});
    await expect(network.transport({ host: 'a' }).listen({ host: 'a', port: 2181 }, () => {})).rejects.toMatchObject({
      name: 'AddressInUseError',
      code: 'EADDRINUSE',
    });
  });

  it('frees a listener port on close', async () => {
    const { network } = setup();
    const t = network.transport({ host: 'a' });
    const first = await t.listen({ host: 'a', port: 2181 }, () => {});
    await first.close();
    await expect(t.listen({ host: 'a', port: 2181 }, () => {})).resolves.toBeDefined();
  });

  it('gives a default memoryTransport() its own private network', async () => {
    const a = memoryTransport();
    const b = memoryTransport();
    const listener = await a.listen({ host: 'localhost', port: 0 }, () => {});
    await expect(b.dial(listener.address)).rejects.toMatchObject({ name: 'ConnectionRefusedError' });
    const conn = await a.dial(listener.address);
    conn.destroy();
  });

  it('rejects invalid options', () => {
    expect(() => memoryNetwork({ latencyMs: -1 })).toThrow(RangeError);
    expect(() => memoryNetwork().transport({ highWaterMark: 0 })).toThrow(RangeError);
    expect(() => memoryNetwork().setLatency(Number.NaN)).toThrow(RangeError);
  });
});

describe('memory network: scheduler and latency', () => {
  it('does nothing until the injected scheduler runs', async () => {
    const { scheduler, network } = setup();
    const t = network.transport();
    let server: Connection | undefined;
    const listener = await t.listen({ host: 'localhost', port: 0 }, (c) => {
      server = c;
    });
    const dialing = t.dial(listener.address);
    await settle();
    await settle();
    expect(server).toBeUndefined();
    await scheduler.advance(0);
    const client = await dialing;
    const rec = new Recorder(server as Connection);
    client.write(utf8('ping'));
    await settle();
    expect(rec.bytes).toBe(0);
    await scheduler.advance(0);
    expect(rec.text).toBe('ping');
  });

  it('delays connects and bytes by the latency, in virtual time', async () => {
    const { scheduler, network } = setup();
    network.setLatency(10);
    expect(network.latencyMs).toBe(10);
    const t = network.transport();
    let server: Connection | undefined;
    const listener = await t.listen({ host: 'localhost', port: 0 }, (c) => {
      server = c;
    });
    const dialing = t.dial(listener.address);
    await scheduler.advance(9);
    expect(server).toBeUndefined();
    await scheduler.advance(1);
    const client = await dialing;
    const rec = new Recorder(server as Connection);
    client.write(utf8('hello'));
    await scheduler.advance(9);
    expect(rec.bytes).toBe(0);
    await scheduler.advance(1);
    expect(rec.text).toBe('hello');
    expect(scheduler.now()).toBe(20);
  });

  it('never reorders a stream when the latency drops', async () => {
    const { scheduler, network } = setup();
    const t = network.transport();
    let server: Connection | undefined;
    const listener = await t.listen({ host: 'localhost', port: 0 }, (c) => {
      server = c;
    });
    const dialing = t.dial(listener.address);
    await scheduler.runUntilIdle();
    const client = await dialing;
    const rec = new Recorder(server as Connection);
    network.setLatency(50);
    client.write(utf8('first '));
    await scheduler.advance(1);
    network.setLatency(0);
    client.write(utf8('second'));
    await scheduler.advance(10);
    expect(rec.bytes).toBe(0);
    await scheduler.runUntilIdle();
    expect(rec.text).toBe('first second');
  });

  it('keeps needsDrain true while the reader stays paused', async () => {
    const { scheduler, network } = setup();
    const t = network.transport({ highWaterMark: 1000 });
    let server: Connection | undefined;
    const listener = await t.listen({ host: 'localhost', port: 0 }, (c) => {
      server = c;
    });
    const dialing = t.dial(listener.address);
    await scheduler.runUntilIdle();
    const client = await dialing;
    const rec = new Recorder(server as Connection);
    server?.pause();
    let drains = 0;
    client.onDrain(() => drains++);
    client.write(new Uint8Array(600));
    expect(client.needsDrain).toBe(false);
    client.write(new Uint8Array(600));
    expect(client.needsDrain).toBe(true);
    await scheduler.runUntilIdle();
    expect(client.writableLength).toBe(1200);
    expect(client.needsDrain).toBe(true);
    expect(drains).toBe(0);
    server?.resume();
    await scheduler.runUntilIdle();
    expect(rec.bytes).toBe(1200);
    expect(client.writableLength).toBe(0);
    expect(drains).toBe(1);
  });

  it('delivers bytes already in flight before the end of a destroyed stream', async () => {
    const { scheduler, network } = setup();
    network.setLatency(5);
    const t = network.transport();
    let server: Connection | undefined;
    const listener = await t.listen({ host: 'localhost', port: 0 }, (c) => {
      server = c;
    });
    const dialing = t.dial(listener.address);
    await scheduler.runUntilIdle();
    const client = await dialing;
    const rec = new Recorder(server as Connection);
    client.write(utf8('last words'));
    await scheduler.advance(1);
    client.destroy();
    await scheduler.runUntilIdle();
    expect(rec.text).toBe('last words');
    expect(rec.closeCount).toBe(1);
    expect(rec.closeError).toBeUndefined();
  });

  it('refuses a dial whose listener closed while the connect was in flight', async () => {
    const { scheduler, network } = setup();
    network.setLatency(5);
    const t = network.transport();
    const listener = await t.listen({ host: 'localhost', port: 0 }, () => {});
    const dialing = t.dial(listener.address);
    const outcome = dialing.then(
      () => 'connected',
      (e: Error) => e.name,
    );
    await scheduler.advance(2);
    await listener.close();
    await scheduler.runUntilIdle();
    expect(await outcome).toBe('ConnectionRefusedError');
  });
});
