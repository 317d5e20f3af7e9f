import { VirtualClock } from '@zk/quorum';
import { memoryStorage, type MemoryStorage } from '@zk/storage';
import { memoryNetwork, type MemoryNetwork } from '@zk/transport-memory';
import type { Transport } from '@zk/transport';
import { createServer, memoryLogger, parseZooCfg, type LogRecord, type ServerConfig, type ZkServer } from '../src/index.js';
import { WireClient } from './wire-client.js';

export interface Member {
  readonly sid: number;
  readonly host: string;
  server: ZkServer;
  storage: MemoryStorage;
  running: boolean;
}

export const CLIENT_PORT = 2181;

/**
 * An ensemble of real servers in one process: in-memory network and storage, virtual time.
 * Everything (elections, pings, session expiry) runs only while a test waits through `until`/`run`.
 */
export class EnsembleHarness {
  readonly clock = new VirtualClock();
  readonly net: MemoryNetwork;
  readonly client: Transport;
  readonly members = new Map<number, Member>();
  /** Log records per member, for a failing test's message. */
  readonly logs = new Map<number, LogRecord[]>();

  constructor(readonly participants = 3, readonly observers = 0, readonly extraConfig = '') {
    this.net = memoryNetwork({ scheduler: this.clock });
    this.client = this.net.transport({ host: 'client' });
  }

  config(sid: number): ServerConfig {
    const lines = ['tickTime=100', '4lw.commands.whitelist=*', 'initLimit=10', 'syncLimit=5', 'maxSessionTimeout=60000', 'dataDir=/unused', `clientPort=${CLIENT_PORT}`];
    for (let i = 1; i <= this.participants + this.observers; i++) {
      lines.push(`server.${i}=server${i}:2888:3888${i > this.participants ? ':observer' : ''}`);
    }
    if (this.extraConfig !== '') lines.push(this.extraConfig);
    return parseZooCfg(lines.join('\n'), { myid: String(sid) }).config;
  }

  async startAll(): Promise<void> {
    for (let sid = 1; sid <= this.participants + this.observers; sid++) await this.launch(sid, await memoryStorage());
  }

  async launch(sid: number, storage: MemoryStorage): Promise<Member> {
    const host = `server${sid}`;
    const { logger, records } = memoryLogger('info');
    this.logs.set(sid, records);
    const server = await createServer(this.config(sid), {
      clock: this.clock,
      storage,
      transport: this.net.transport({ host }),
      peerTransport: this.net.transport({ host }),
      random: () => 0.5,
      logger,
    });
    const m: Member = { sid, host, server, storage, running: true };
    this.members.set(sid, m);
    await server.start();
    return m;
  }

  /** Stops a member as a crash would: its storage keeps only what was synced. */
  async crash(sid: number): Promise<MemoryStorage> {
    const m = this.member(sid);
    m.running = false;
    await m.server.stop().catch(() => undefined);
    return m.storage.crash();
  }

  member(sid: number): Member {
    const m = this.members.get(sid);
    if (m === undefined) throw new Error(`no member ${sid}`);
    return m;
  }

  running(): Member[] {
    return [...this.members.values()].filter((m) => m.running);
  }

  leader(): Member | undefined {
    return this.running().find((m) => m.server.mode === 'leader');
  }

  async until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
    if (!(await this.clock.runUntil(cond, ms))) {
      throw new Error(`timed out waiting for ${what}; modes: ${this.running().map((m) => `${m.sid}=${m.server.mode}`).join(' ')}`);
    }
  }

  /** Runs virtual time until `p` settles. */
  async run<T>(p: Promise<T>, what = 'a reply', ms = 60_000): Promise<T> {
    let done = false;
    const tracked = p.finally(() => {
      done = true;
    });
    await this.until(() => done, what, ms);
    return tracked;
  }

  /** Every running member serving: one leader, the others following or observing it. */
  async stable(): Promise<Member> {
    await this.until(() => {
      const rs = this.running();
      return rs.filter((m) => m.server.mode === 'leader').length === 1 && rs.every((m) => m.server.mode !== 'looking');
    }, 'a stable ensemble');
    return this.leader()!;
  }

  session(sid: number, opts: Parameters<typeof WireClient.session>[2] = {}): Promise<WireClient> {
    return this.run(WireClient.session(this.client, CLIENT_PORT, opts, `server${sid}`), `a session on server ${sid}`);
  }

  dial(sid: number): Promise<WireClient> {
    return this.run(WireClient.dial(this.client, CLIENT_PORT, `server${sid}`), `a connection to server ${sid}`);
  }

  async fourLetterWord(sid: number, word: string): Promise<string> {
    const c = await this.dial(sid);
    c.writeRaw(Buffer.from(word, 'latin1'));
    await this.run(c.whenClosed(), `${word} from server ${sid}`);
    return c.text;
  }
}
