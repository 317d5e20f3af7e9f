import type { Connection } from '@zk/transport';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../src/index.js';
import { TestCluster } from './support.js';

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
});
