import { expect, it } from 'vitest';
import { isTransport } from '../transport.js';
import { text, utf8 } from './bytes.js';
import type { Harness } from './harness.js';
import { Probe } from './probe.js';
import { expectRejection } from './expect-error.js';

export function connectCases(h: () => Harness): void {
  it('is branded as a transport', () => {
    expect(isTransport(h().transport)).toBe(true);
  });

  it('listens, dials and echoes, never calling handlers from inside a user call', async () => {
    const serverProbes: Probe[] = [];
    const { client } = await h().pair((server) => {
      const probe = new Probe(server);
      probe.onEachChunk((chunk) => probe.call(() => server.write(chunk)));
      serverProbes.push(probe);
    });
    const probe = new Probe(client);
    probe.call(() => client.write(utf8('hello, ')));
    probe.call(() => client.write(utf8('transport')));
    await probe.waitForBytes(16);
    expect(text(probe.received())).toBe('hello, transport');
    probe.call(() => client.end());
    await probe.closed;
    await serverProbes[0]?.closed;
    expect(probe.violations).toEqual([]);
    expect(serverProbes[0]?.violations).toEqual([]);
  });

  it('reports the port it picked when asked to listen on port 0', async () => {
    const { listener } = await h().listen();
    if (h().listenAddress.port === 0) expect(listener.address.port).toBeGreaterThan(0);
    else expect(listener.address.port).toBe(h().listenAddress.port);
  });

  it('gives both ends matching addresses', async () => {
    const { listener, client, server } = await h().pair();
    expect(client.remoteAddress.port).toBe(listener.address.port);
    expect(server.localAddress.port).toBe(listener.address.port);
    expect(server.remoteAddress.port).toBe(client.localAddress.port);
    expect(client.localAddress.port).toBeGreaterThan(0);
  });

  it('rejects listening on a taken address with AddressInUseError', async () => {
    const { listener } = await h().listen();
    await expectRejection(h().transport.listen(listener.address, () => {}), 'AddressInUseError', 'EADDRINUSE');
  });

  it('accepts many concurrent connections, each with its own stream', async () => {
    const count = 50;
    const serverProbes: Probe[] = [];
    const { listener } = await h().listen((server) => {
      const probe = new Probe(server);
      probe.onEachChunk((chunk) => server.write(chunk));
      serverProbes.push(probe);
    });
    const clients = await Promise.all(Array.from({ length: count }, () => h().dial(listener.address)));
    const probes = clients.map((client) => new Probe(client));
    const messages = clients.map((_, i) => `connection #${i} says ${'x'.repeat(i)}`);
    clients.forEach((client, i) => client.write(utf8(messages[i] as string)));
    await Promise.all(probes.map((p, i) => p.waitForBytes(utf8(messages[i] as string).byteLength)));
    probes.forEach((p, i) => expect(text(p.received())).toBe(messages[i]));
    expect(listener.connectionCount).toBe(count);
    for (const client of clients) client.end();
    await Promise.all([...probes, ...serverProbes].map((p) => p.closed));
    expect(listener.connectionCount).toBe(0);
    for (const p of [...probes, ...serverProbes]) expect(p.violations).toEqual([]);
  });

  it('counts accepted connections until they close', async () => {
    const { listener, client, server } = await h().pair();
    const serverProbe = new Probe(server);
    expect(listener.connectionCount).toBe(1);
    client.destroy();
    await serverProbe.closed;
    expect(listener.connectionCount).toBe(0);
  });
}
