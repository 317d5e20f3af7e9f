import type { Connection } from '@zk/transport';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '@zk/storage';
import { createQuorumPeer, encodeFrame } from '../src/index.js';
import { ListMachine, TestCluster } from './support.js';

describe('election links (QuorumCnxManager rule)', () => {
  it('one link per pair; a dial from a smaller sid is dropped, from a larger one kept', async () => {
    const c = new TestCluster(3);
    await c.startAll();
    await c.stable();
    for (const m of c.running()) {
      expect(m.peer.status().electionLinks.sort()).toEqual([1, 2, 3].filter((s) => s !== m.spec.sid));
    }
    // A stranger on host server1 claiming sid 1 dials server3's election port: dropped.
    const t = c.network.transport({ host: 'server1' });
    let conn: Connection | undefined;
    void t.dial({ host: 'server3', port: 3888 }).then((x) => (conn = x));
    await c.until(() => conn !== undefined, 10_000, 'dial');
    if (conn === undefined) throw new Error('no connection');
    let closed = false;
    const cn = conn;
    cn.onClose(() => (closed = true));
    cn.onData(() => {});
    cn.write(encodeFrame({ zkq: 1, kind: 'election', sid: 1 }));
    await c.until(() => closed, 10_000, 'dial from a smaller sid dropped');
    expect(c.fatal).toEqual([]);
  });

  it('recovers from a blackhole partition between the leader and a follower', async () => {
    const c = new TestCluster(3);
    await c.startAll();
    const l = await c.stable();
    const f = c.running().find((m) => m !== l)!;
    c.network.partition(l.spec.host, f.spec.host);
    await c.until(() => !f.peer.serving, 30_000, 'follower notices the partition');
    c.network.heal();
    await c.stable();
    expect(c.running().every((m) => m.peer.serving)).toBe(true);
  });

  it('retries binding a busy election port (electionPortBindRetry), then gives up with the address', async () => {
    const c = new TestCluster(3);
    const spec = c.specs[0]!;
    const squatter = await c.network.transport({ host: spec.host }).listen({ host: spec.host, port: spec.electionPort }, () => {});
    const options = {
      sid: spec.sid, servers: c.specs, transport: c.network.transport({ host: spec.host }), clock: c.clock,
      stateMachine: new ListMachine(), tickMs: c.tickMs, initLimit: 10, syncLimit: 5,
    };
    const once = createQuorumPeer({ ...options, storage: await memoryStorage(), electionPortBindRetry: 1 });
    await expect(once.start()).rejects.toThrow(`cannot bind the election port ${spec.host}:${spec.electionPort} after 1 attempt(s)`);
    const patient = createQuorumPeer({ ...options, storage: await memoryStorage(), electionPortBindRetry: 5 });
    let started = false;
    void patient.start().then(() => (started = true));
    await c.clock.advance(1500);
    expect(started).toBe(false);
    await squatter.close();
    await c.until(() => started, 10_000, 'the peer to bind once the port is free');
    await patient.stop();
  });
});
