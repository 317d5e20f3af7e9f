import { describe, expect, it } from 'vitest';
import type { Connection } from '@zk/transport';
import { memoryNetwork } from '../src/index.js';
import { VirtualScheduler } from './virtual-scheduler.js';

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Runs a seeded scenario (3 clients, random writes, latency changes, pauses) and returns its event trace. */
async function scenario(seed: number): Promise<string[]> {
  const random = prng(seed);
  const scheduler = new VirtualScheduler();
  const network = memoryNetwork({ scheduler, latencyMs: 3 });
  const trace: string[] = [];
  const log = (line: string): void => {
    trace.push(`${scheduler.now()} ${line}`);
  };
  const server = network.transport({ host: 'server' });
  await server.listen({ host: 'server', port: 2181 }, (conn) => {
    const name = `s<-${conn.remoteAddress.host}:${conn.remoteAddress.port}`;
    conn.onData((chunk) => {
      log(`${name} data ${chunk.byteLength}`);
      conn.write(chunk.subarray(0, 1 + (random() % chunk.byteLength)));
      if (random() % 5 === 0) {
        conn.pause();
        scheduler.setTimeout(() => conn.resume(), random() % 7);
      }
    });
    conn.onClose((err) => log(`${name} close ${err?.name ?? 'ok'}`));
  });
  const clients: Connection[] = [];
  for (let i = 0; i < 3; i++) {
    const dialing = network.transport({ host: `c${i}` }).dial({ host: 'server', port: 2181 });
    await scheduler.advance(random() % 4);
    await scheduler.runUntilIdle();
    const conn = await dialing;
    conn.onData((chunk) => log(`c${i} data ${chunk.byteLength}`));
    conn.onClose((err) => log(`c${i} close ${err?.name ?? 'ok'}`));
    clients.push(conn);
  }
  for (let step = 0; step < 200; step++) {
    const conn = clients[random() % clients.length] as Connection;
    conn.write(new Uint8Array(1 + (random() % 300)));
    if (random() % 17 === 0) network.setLatency(random() % 10);
    await scheduler.advance(random() % 3);
  }
  for (const conn of clients) conn.end();
  await scheduler.runUntilIdle();
  return trace;
}

describe('memory network: determinism', () => {
  it('replays a seeded scenario event for event', async () => {
    const first = await scenario(42);
    const second = await scenario(42);
    expect(first.length).toBeGreaterThan(200);
    expect(second).toEqual(first);
    expect(first.filter((l) => l.includes('close')).length).toBe(6);
  });

  it('differs for another seed', async () => {
    expect(await scenario(7)).not.toEqual(await scenario(42));
  });
});
