import { expect, it } from 'vitest';
import { firstDifference, pattern } from './bytes.js';
import type { Harness } from './harness.js';
import { Probe } from './probe.js';
import { turns } from './turns.js';

const MiB = 1024 * 1024;

export function backpressureCases(h: () => Harness): void {
  it('pause() stops delivery at once and resume() continues without loss', async () => {
    const { client, server } = await h().pair();
    const probe = new Probe(server);
    let pauses = 0;
    probe.onEachChunk(() => {
      server.pause();
      pauses++;
      setImmediate(() => server.resume());
    });
    const payload = pattern(2 * MiB, 9);
    for (let i = 0; i < payload.byteLength; i += 64 * 1024) client.write(payload.subarray(i, i + 64 * 1024));
    await probe.waitForBytes(payload.byteLength);
    expect(firstDifference(probe.received(), payload)).toBeUndefined();
    expect(pauses).toBeGreaterThan(0);
    expect(probe.violations).toEqual([]);
  });

  it('holds data for a reader paused from the start, and delivers it on resume', async () => {
    const { client } = await h().pair((server) => server.write(pattern(100_000, 10)));
    client.pause();
    expect(client.paused).toBe(true);
    const probe = new Probe(client);
    await turns();
    expect(probe.bytes).toBe(0);
    client.resume();
    await probe.waitForBytes(100_000);
    expect(firstDifference(probe.received(), pattern(100_000, 10))).toBeUndefined();
    expect(probe.violations).toEqual([]);
  });

  it('shows needsDrain to a writer facing a paused reader, then calls onDrain after resume', async () => {
    const { client, server } = await h().pair();
    const serverProbe = new Probe(server);
    server.pause();
    const clientProbe = new Probe(client);
    const payload = pattern(16 * MiB, 11);
    for (let i = 0; i < payload.byteLength; i += MiB) client.write(payload.subarray(i, i + MiB));
    expect(client.writableLength).toBeGreaterThanOrEqual(payload.byteLength);
    expect(client.needsDrain).toBe(true);
    const drained = new Promise<void>((resolve) => client.onDrain(resolve));
    await turns(3);
    server.resume();
    await serverProbe.waitForBytes(payload.byteLength);
    await drained;
    expect(client.needsDrain).toBe(false);
    expect(firstDifference(serverProbe.received(), payload)).toBeUndefined();
    expect(serverProbe.violations).toEqual([]);
    expect(clientProbe.violations).toEqual([]);
  });
}
