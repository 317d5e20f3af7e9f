import { expect, it } from 'vitest';
import { concat, firstDifference, pattern, text, utf8 } from './bytes.js';
import type { Harness } from './harness.js';
import { Probe } from './probe.js';
import { turns } from './turns.js';

const MiB = 1024 * 1024;

export function dataCases(h: () => Harness): void {
  it('delivers one 8 MiB write from dialer to listener intact', async () => {
    const { client, server } = await h().pair();
    const probe = new Probe(server);
    const payload = pattern(8 * MiB, 1);
    client.write(payload);
    await probe.waitForBytes(payload.byteLength);
    expect(firstDifference(probe.received(), payload)).toBeUndefined();
    expect(probe.violations).toEqual([]);
  });

  it('delivers one 8 MiB write from listener to dialer intact', async () => {
    const { client, server } = await h().pair();
    const probe = new Probe(client);
    const payload = pattern(8 * MiB, 2);
    server.write(payload);
    await probe.waitForBytes(payload.byteLength);
    expect(firstDifference(probe.received(), payload)).toBeUndefined();
    expect(probe.violations).toEqual([]);
  });

  it('keeps many small writes byte-identical, however they are regrouped', async () => {
    const { client, server } = await h().pair();
    const probe = new Probe(server);
    const source = pattern(200_000, 3);
    const written: Uint8Array[] = [];
    let offset = 0;
    let size = 1;
    while (offset < source.byteLength) {
      const chunk = source.subarray(offset, Math.min(offset + size, source.byteLength));
      client.write(chunk);
      written.push(chunk);
      offset += chunk.byteLength;
      size = (size * 7 + 3) % 61 + 1;
      if (written.length % 1000 === 0) await turns(1);
    }
    await probe.waitForBytes(source.byteLength);
    expect(firstDifference(probe.received(), concat(written))).toBeUndefined();
    expect(probe.violations).toEqual([]);
  });

  it('carries both directions at once', async () => {
    const { client, server } = await h().pair();
    const toServer = pattern(2 * MiB, 4);
    const toClient = pattern(2 * MiB, 5);
    const serverProbe = new Probe(server);
    const clientProbe = new Probe(client);
    for (let i = 0; i < toServer.byteLength; i += 64 * 1024) {
      client.write(toServer.subarray(i, i + 64 * 1024));
      server.write(toClient.subarray(i, i + 64 * 1024));
    }
    await Promise.all([serverProbe.waitForBytes(toServer.byteLength), clientProbe.waitForBytes(toClient.byteLength)]);
    expect(firstDifference(serverProbe.received(), toServer)).toBeUndefined();
    expect(firstDifference(clientProbe.received(), toClient)).toBeUndefined();
  });

  it('keeps bytes that arrive before onData is installed', async () => {
    const { client } = await h().pair((server) => server.write(utf8('greeting')));
    await turns();
    const probe = new Probe(client);
    await probe.waitForBytes(8);
    expect(text(probe.received())).toBe('greeting');
    expect(probe.violations).toEqual([]);
  });

  it('hands the rest of the stream to a replacement onData handler', async () => {
    const { client, server } = await h().pair();
    const first: Uint8Array[] = [];
    const second: Uint8Array[] = [];
    let total = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const payload = pattern(300_000, 6);
    const count = (chunk: Uint8Array): void => {
      total += chunk.byteLength;
      if (total === payload.byteLength) done();
    };
    server.onData((chunk) => {
      first.push(chunk);
      count(chunk);
      server.onData((next) => {
        second.push(next);
        count(next);
      });
    });
    for (let i = 0; i < payload.byteLength; i += 10_000) client.write(payload.subarray(i, i + 10_000));
    await finished;
    expect(first.length).toBe(1);
    expect(firstDifference(concat([...first, ...second]), payload)).toBeUndefined();
  });
}
