import { memoryStorage, type MemoryStorage } from '@zk/storage';
import { memoryNetwork, type MemoryNetwork } from '@zk/transport-memory';
import type { Zxid } from '@zk/zxid';
import { createQuorumPeer, VirtualClock, type QuorumPeer, type ReplicatedStateMachine, type ServerSpec } from '../src/index.js';

/** A toy replicated state machine: the list of applied (zxid, payload-as-text). */
export class ListMachine implements ReplicatedStateMachine {
  items: string[] = [];
  zxids: Zxid[] = [];
  apply(zxid: Zxid, payload: Uint8Array): void {
    if (this.zxids.length > 0 && zxid <= (this.zxids[this.zxids.length - 1] as Zxid)) throw new Error(`apply out of order ${zxid}`);
    this.zxids.push(zxid);
    this.items.push(new TextDecoder().decode(payload));
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ items: this.items, zxids: this.zxids.map(String) }));
  }
  restore(data: Uint8Array | readonly Uint8Array[]): void {
    const bytes = data instanceof Uint8Array ? data : Buffer.concat(data);
    const o = JSON.parse(new TextDecoder().decode(bytes)) as { items: string[]; zxids: string[] };
    this.items = o.items;
    this.zxids = o.zxids.map((z) => BigInt(z));
  }
}

export interface Member {
  spec: ServerSpec;
  storage: MemoryStorage;
  machine: ListMachine;
  peer: QuorumPeer;
}

export class TestCluster {
  readonly clock = new VirtualClock();
  readonly network: MemoryNetwork;
  readonly specs: ServerSpec[];
  readonly members = new Map<number, Member>();
  readonly tickMs = 50;
  readonly fatal: Error[] = [];

  constructor(participants: number, observers = 0, readonly commitLogCount?: number, readonly snapPartBytes?: number) {
    this.network = memoryNetwork({ scheduler: this.clock });
    this.specs = [];
    for (let i = 1; i <= participants + observers; i++) {
      this.specs.push({ sid: i, host: `server${i}`, quorumPort: 2888, electionPort: 3888, type: i > participants ? 'observer' : 'participant' });
    }
  }

  async startAll(): Promise<void> {
    for (const s of this.specs) {
      const storage = await memoryStorage();
      await this.launch(s, storage);
    }
  }

  async launch(spec: ServerSpec, storage: MemoryStorage): Promise<Member> {
    const machine = new ListMachine();
    const peer = createQuorumPeer({
      sid: spec.sid,
      servers: this.specs,
      transport: this.network.transport({ host: spec.host }),
      storage,
      clock: this.clock,
      stateMachine: machine,
      tickMs: this.tickMs,
      initLimit: 10,
      syncLimit: 5,
      checkInvariants: true,
      ...(this.commitLogCount !== undefined ? { commitLogCount: this.commitLogCount } : {}),
      ...(this.snapPartBytes !== undefined ? { snapPartBytes: this.snapPartBytes } : {}),
    });
    peer.onFatal((e) => this.fatal.push(e));
    const m: Member = { spec, storage, machine, peer };
    this.members.set(spec.sid, m);
    await peer.start();
    return m;
  }

  member(sid: number): Member {
    const m = this.members.get(sid);
    if (m === undefined) throw new Error(`no member ${sid}`);
    return m;
  }

  running(): Member[] {
    return [...this.members.values()].filter((m) => m.peer.running);
  }

  leader(): Member | undefined {
    return this.running().find((m) => m.peer.state === 'LEADING' && m.peer.serving);
  }

  /** Runs virtual time until `cond` holds; throws after `ms`. */
  async until(cond: () => boolean, ms = 60_000, what = 'condition'): Promise<void> {
    const ok = await this.clock.runUntil(() => this.fatal.length > 0 || cond(), ms);
    if (this.fatal.length > 0) throw this.fatal[0];
    if (!ok) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.running().map((m) => m.peer.status()), (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
  }

  async stable(): Promise<Member> {
    await this.until(() => {
      const l = this.leader();
      if (l === undefined) return false;
      return this.running().every((m) => m === l || (m.peer.serving && m.peer.leaderId === l.spec.sid));
    }, 60_000, 'a stable ensemble');
    return this.leader() as Member;
  }

  async crash(sid: number): Promise<MemoryStorage> {
    const m = this.member(sid);
    await m.peer.stop();
    return m.storage.crash();
  }
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
