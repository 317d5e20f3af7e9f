import { describe, expect, it } from 'vitest';
import type { Connection, Transport } from '@zk/transport';
import { memoryNetwork, type MemoryNetwork } from '../src/index.js';
import { Recorder, utf8 } from './recorder.js';
import { VirtualScheduler } from './virtual-scheduler.js';

interface World {
  scheduler: VirtualScheduler;
  network: MemoryNetwork;
  server: Transport;
  client: Transport;
  accepted: Connection[];
  port: number;
}

async function world(): Promise<World> {
  const scheduler = new VirtualScheduler();
  const network = memoryNetwork({ scheduler });
  const server = network.transport({ host: 's1' });
  const client = network.transport({ host: 'c1' });
  const accepted: Connection[] = [];
  const listener = await server.listen({ host: 's1', port: 2181 }, (c) => accepted.push(c));
  return { scheduler, network, server, client, accepted, port: listener.address.port };
}

async function connect(w: World): Promise<{ client: Connection; server: Connection }> {
  const dialing = w.client.dial({ host: 's1', port: w.port });
  await w.scheduler.runUntilIdle();
  const client = await dialing;
  return { client, server: w.accepted[w.accepted.length - 1] as Connection };
}

function outcomeOf(p: Promise<Connection>): Promise<string> {
  return p.then(
    (c) => {
      c.destroy();
      return 'connected';
    },
    (e: Error) => e.name,
  );
}

describe('memory network: blackhole partitions', () => {
  it('holds bytes both ways while partitioned and delivers them intact after heal', async () => {
    const w = await world();
    const { client, server } = await connect(w);
    const atServer = new Recorder(server);
    const atClient = new Recorder(client);
    w.network.partition('c1', 's1');
    client.write(utf8('request'));
    server.write(utf8('reply'));
    await w.scheduler.runUntilIdle();
    expect(atServer.bytes).toBe(0);
    expect(atClient.bytes).toBe(0);
    expect(client.closed).toBe(false);
    w.network.heal();
    await w.scheduler.runUntilIdle();
    expect(atServer.text).toBe('request');
    expect(atClient.text).toBe('reply');
  });

  it('holds bytes already in flight when the partition starts', async () => {
    const w = await world();
    w.network.setLatency(10);
    const { client, server } = await connect(w);
    const atServer = new Recorder(server);
    client.write(utf8('in flight'));
    await w.scheduler.advance(5);
    w.network.partition('s1', 'c1');
    await w.scheduler.advance(100);
    expect(atServer.bytes).toBe(0);
    w.network.heal('c1', 's1');
    await w.scheduler.runUntilIdle();
    expect(atServer.text).toBe('in flight');
  });

  it('one-way: blocks only the given direction of an established connection', async () => {
    const w = await world();
    const { client, server } = await connect(w);
    const atServer = new Recorder(server);
    const atClient = new Recorder(client);
    w.network.partition('s1', 'c1', { oneWay: true });
    client.write(utf8('up'));
    server.write(utf8('down'));
    await w.scheduler.runUntilIdle();
    expect(atServer.text).toBe('up');
    expect(atClient.bytes).toBe(0);
    w.network.heal();
    await w.scheduler.runUntilIdle();
    expect(atClient.text).toBe('down');
  });

  it('holds dials until heal', async () => {
    const w = await world();
    w.network.partition('c1', 's1', { oneWay: true });
    const outcome = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    await w.scheduler.advance(60_000);
    expect(w.accepted.length).toBe(0);
    w.network.heal();
    await w.scheduler.runUntilIdle();
    expect(await outcome).toBe('connected');
    expect(w.accepted.length).toBe(1);
  });

  it('times a held dial out with DialTimeoutError, in virtual time', async () => {
    const w = await world();
    w.network.partition('c1', 's1');
    const outcome = outcomeOf(w.client.dial({ host: 's1', port: w.port }, { timeoutMs: 3000 }));
    await w.scheduler.advance(2999);
    expect(w.accepted.length).toBe(0);
    await w.scheduler.advance(1);
    expect(await outcome).toBe('DialTimeoutError');
    w.network.heal();
    await w.scheduler.runUntilIdle();
    expect(w.accepted.length).toBe(0);
  });

  it('aborts a held dial with AbortError', async () => {
    const w = await world();
    w.network.partition('c1', 's1');
    const controller = new AbortController();
    const outcome = outcomeOf(w.client.dial({ host: 's1', port: w.port }, { signal: controller.signal }));
    await w.scheduler.runUntilIdle();
    controller.abort();
    expect(await outcome).toBe('AbortError');
    w.network.heal();
    await w.scheduler.runUntilIdle();
    expect(w.accepted.length).toBe(0);
  });

  it('heal(a, b) lifts only that pair', async () => {
    const w = await world();
    const other = w.network.transport({ host: 'c2' });
    w.network.partition('c1', 's1');
    w.network.partition('c2', 's1');
    w.network.heal('s1', 'c1');
    const fromC1 = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    const fromC2 = outcomeOf(other.dial({ host: 's1', port: w.port }, { timeoutMs: 1000 }));
    await w.scheduler.runUntilIdle();
    expect(await fromC1).toBe('connected');
    expect(await fromC2).toBe('DialTimeoutError');
  });
});

describe('memory network: reset partitions, dropped connections, refusals', () => {
  it('reset mode: resets established connections on both ends and refuses dials until heal', async () => {
    const w = await world();
    const { client, server } = await connect(w);
    const atServer = new Recorder(server);
    const atClient = new Recorder(client);
    client.write(utf8('lost'));
    w.network.partition('c1', 's1', { mode: 'reset' });
    expect(client.closed).toBe(true);
    expect(server.closed).toBe(true);
    await w.scheduler.runUntilIdle();
    expect(atServer.bytes).toBe(0);
    expect(atClient.closeError?.name).toBe('ConnectionResetError');
    expect(atServer.closeError?.name).toBe('ConnectionResetError');
    expect(atClient.closeCount).toBe(1);
    expect(atServer.closeCount).toBe(1);
    const refused = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    await w.scheduler.runUntilIdle();
    expect(await refused).toBe('ConnectionRefusedError');
    w.network.heal();
    const healed = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    await w.scheduler.runUntilIdle();
    expect(await healed).toBe('connected');
  });

  it('reset mode leaves connections between other hosts alone', async () => {
    const w = await world();
    const { client } = await connect(w);
    w.network.partition('c2', 's1', { mode: 'reset' });
    await w.scheduler.runUntilIdle();
    expect(client.closed).toBe(false);
  });

  it('dropConnection resets both ends once', async () => {
    const w = await world();
    const { client, server } = await connect(w);
    const atServer = new Recorder(server);
    const atClient = new Recorder(client);
    expect(w.network.dropConnection(server)).toBe(true);
    expect(w.network.dropConnection(client)).toBe(false);
    await w.scheduler.runUntilIdle();
    expect(atClient.closeError?.name).toBe('ConnectionResetError');
    expect(atServer.closeError?.name).toBe('ConnectionResetError');
    expect(atClient.closeCount + atServer.closeCount).toBe(2);
    client.write(utf8('after reset'));
    await w.scheduler.runUntilIdle();
  });

  it('dropConnection ignores connections of another network', async () => {
    const w = await world();
    const { client } = await connect(w);
    expect(memoryNetwork().dropConnection(client)).toBe(false);
  });

  it('refuse(host, port) refuses dials even with a listener, until unrefuse or heal', async () => {
    const w = await world();
    w.network.refuse('s1', w.port);
    const refused = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    await w.scheduler.runUntilIdle();
    expect(await refused).toBe('ConnectionRefusedError');
    w.network.unrefuse('s1', w.port);
    const allowed = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    await w.scheduler.runUntilIdle();
    expect(await allowed).toBe('connected');
    w.network.refuse('s1', w.port);
    w.network.heal();
    const healed = outcomeOf(w.client.dial({ host: 's1', port: w.port }));
    await w.scheduler.runUntilIdle();
    expect(await healed).toBe('connected');
  });
});
