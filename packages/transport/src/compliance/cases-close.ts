import { expect, it } from 'vitest';
import { firstDifference, pattern, text, utf8 } from './bytes.js';
import type { Harness } from './harness.js';
import { Probe } from './probe.js';
import { turns } from './turns.js';

function expectCleanOrReset(err: Error | undefined): void {
  if (err !== undefined) expect(err.name).toBe('ConnectionResetError');
}

export function closeCases(h: () => Harness): void {
  it('end(): the peer receives every byte, then both sides close without error', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    const clientProbe = new Probe(client);
    const payload = pattern(1024 * 1024, 7);
    client.write(payload);
    client.end();
    expect(await serverProbe.closed).toBeUndefined();
    expect(await clientProbe.closed).toBeUndefined();
    expect(firstDifference(serverProbe.received(), payload)).toBeUndefined();
    expect(serverProbe.violations).toEqual([]);
    expect(clientProbe.violations).toEqual([]);
  });

  it('end() right after write() flushes the reply first (answer-then-close)', async () => {
    const reply = pattern(256 * 1024, 8);
    const { client } = await h().pair((server) => {
      server.onData(() => {
        server.write(reply);
        server.end();
      });
    });
    const probe = new Probe(client);
    client.write(utf8('stat'));
    expect(await probe.closed).toBeUndefined();
    expect(firstDifference(probe.received(), reply)).toBeUndefined();
    expect(probe.violations).toEqual([]);
  });

  it('onEnd: a side told of the peer\'s end stays half-open and can still answer', async () => {
    const reply = pattern(64 * 1024, 12);
    let endCalls = 0;
    let bytesAtEnd = -1;
    let serverProbe: Probe | undefined;
    const { client } = await h().pair((server) => {
      const probe = new Probe(server);
      serverProbe = probe;
      server.onEnd(() => {
        endCalls++;
        bytesAtEnd = probe.bytes;
        // Answer later, from another turn, on the half-open connection.
        setImmediate(() => {
          server.write(reply);
          server.end();
        });
      });
    });
    const probe = new Probe(client);
    client.write(utf8('stat'));
    client.end();
    expect(await probe.closed).toBeUndefined();
    expect(firstDifference(probe.received(), reply)).toBeUndefined();
    expect(await serverProbe?.closed).toBeUndefined();
    expect(endCalls).toBe(1);
    expect(bytesAtEnd).toBe(4);
    expect(probe.violations).toEqual([]);
    expect(serverProbe?.violations).toEqual([]);
  });

  it('drops writes after end() without throwing', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    client.write(utf8('kept'));
    client.end();
    expect(() => client.write(utf8('dropped'))).not.toThrow();
    await serverProbe.closed;
    expect(text(serverProbe.received())).toBe('kept');
  });

  it('fires the close event exactly once on each side', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    const clientProbe = new Probe(client);
    clientProbe.call(() => {
      client.end();
      client.end();
      client.destroy();
      client.destroy(new Error('ignored: already destroyed'));
    });
    expect(await clientProbe.closed).toBeUndefined();
    await serverProbe.closed;
    server.destroy();
    await turns();
    expect(clientProbe.closeCount).toBe(1);
    expect(serverProbe.closeCount).toBe(1);
    expect(clientProbe.violations).toEqual([]);
    expect(serverProbe.violations).toEqual([]);
  });

  it('after the close event: writes are dropped, calls are harmless, closed is true', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    const clientProbe = new Probe(client);
    client.end();
    await clientProbe.closed;
    await serverProbe.closed;
    expect(client.closed).toBe(true);
    expect(server.closed).toBe(true);
    expect(() => {
      client.write(utf8('late'));
      server.write(utf8('late'));
      client.end();
      client.pause();
      client.resume();
      client.destroy(new Error('late'));
      server.destroy();
    }).not.toThrow();
    await turns();
    expect(serverProbe.bytes).toBe(0);
    expect(clientProbe.bytes).toBe(0);
    expect(clientProbe.closeCount).toBe(1);
    expect(serverProbe.closeCount).toBe(1);
  });

  it('destroy() by the dialer closes both sides', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    const clientProbe = new Probe(client);
    clientProbe.call(() => client.destroy());
    expect(client.closed).toBe(true);
    expect(await clientProbe.closed).toBeUndefined();
    expectCleanOrReset(await serverProbe.closed);
    expect(clientProbe.violations).toEqual([]);
    expect(serverProbe.violations).toEqual([]);
  });

  it('destroy() by the listener side closes both sides', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    const clientProbe = new Probe(client);
    server.write(utf8('bye'));
    serverProbe.call(() => server.destroy());
    expect(server.closed).toBe(true);
    expect(await serverProbe.closed).toBeUndefined();
    expectCleanOrReset(await clientProbe.closed);
    expect(clientProbe.violations).toEqual([]);
    expect(serverProbe.violations).toEqual([]);
  });

  it('destroy(err) hands err to the local close handler', async () => {
    const { client } = await h().pair();
    const probe = new Probe(client);
    const reason = new Error('session expired');
    client.destroy(reason);
    expect(await probe.closed).toBe(reason);
  });

  it('delivers the close event to an onClose handler installed after the close', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    client.onData(() => {});
    client.end();
    await serverProbe.closed;
    await turns();
    let calls = 0;
    let received: Error | undefined = new Error('not called');
    const closed = new Promise<void>((resolve) => {
      client.onClose((err) => {
        calls++;
        received = err;
        resolve();
      });
    });
    await closed;
    await turns();
    expect(calls).toBe(1);
    expect(received).toBeUndefined();
  });
}
