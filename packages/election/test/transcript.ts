/**
 * Data-driven transcripts in the style of etcd-io/raft's `testdata/*.txt`:
 * each block is a command line, `----`, and the golden output, blocks being
 * separated by blank lines; `#` lines are comments. `runTranscript` replays a
 * file and returns the text it should contain; the test compares (or, with
 * UPDATE=1, rewrites).
 *
 * Commands (ids are space-separated server ids, or `all`):
 *   config finalize=N min-notify=N max-notify=N   timings (before any start)
 *   add-servers <ids>                             voters
 *   observer <ids>                                observers
 *   data <ids> zxid=0x.. epoch=N                  log data used by the next start
 *   start <ids>                                   boot if needed, then begin a round
 *   crash <ids>                                   lose the process and its queued input
 *   deliver <ids> | deliver A->B                  deliver what is queued now, in send order
 *   deliver-all                                   deliver until nothing is queued
 *   drop <ids> | drop A->B                        discard queued messages
 *   isolate <ids> / heal                          drop everything sent to or from them
 *   tick <id|id,id|all> [count]                   advance logical time
 *   update-epoch <ids> epoch=N                    Election.updatePeerEpoch (ZAB established the epoch)
 *   queued                                        list the messages in flight
 *   status [ids]                                  one line per server
 */
import { readFileSync } from 'node:fs';
import { parseZxid, type Zxid } from '@zk/zxid';
import {
  Election,
  formatEnvelope,
  formatVote,
  majorityQuorum,
  type ElectionTimings,
  type Envelope,
  type QuorumVerifier,
} from '../src/index.js';

interface Block {
  readonly pre: readonly string[];
  readonly cmd: string;
  readonly expected: readonly string[];
  readonly line: number;
}

export function parseTranscript(text: string): { blocks: Block[]; tail: string[] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let pre: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i] as string;
    if (l.trim() === '' || l.startsWith('#')) {
      pre.push(l);
      i++;
      continue;
    }
    const cmd = l;
    const line = i + 1;
    i++;
    if (lines[i] !== '----') throw new Error(`line ${line}: expected ---- after "${cmd}"`);
    i++;
    const expected: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '') expected.push(lines[i++] as string);
    blocks.push({ pre, cmd, expected, line });
    pre = [];
  }
  return { blocks, tail: pre };
}

interface Server {
  data: { zxid: Zxid; epoch: number };
  election: Election | undefined;
}

class Env {
  private timings: ElectionTimings = { finalizeWaitTicks: 2, minNotificationTicks: 2, maxNotificationTicks: 8 };
  private voters: number[] = [];
  private observers: number[] = [];
  private quorum: QuorumVerifier | undefined;
  private readonly servers = new Map<number, Server>();
  private queue: Envelope[] = [];
  private readonly isolated = new Set<number>();
  private out: string[] = [];

  run(cmd: string): string[] {
    this.out = [];
    const [verb, ...args] = cmd.trim().split(/\s+/);
    switch (verb) {
      case 'config':
        this.config(args);
        break;
      case 'add-servers':
        this.frozen(verb);
        this.voters.push(...this.ids(args));
        break;
      case 'observer':
        this.frozen(verb);
        this.observers.push(...this.ids(args));
        break;
      case 'data':
        this.data(args);
        break;
      case 'start':
        for (const id of this.ids(args)) this.start(id);
        break;
      case 'crash':
        for (const id of this.ids(args)) {
          this.server(id).election = undefined;
          this.queue = this.queue.filter((m) => m.to !== id);
        }
        break;
      case 'deliver':
        this.deliver(this.selector(args));
        break;
      case 'deliver-all': {
        let rounds = 0;
        while (this.queue.length > 0) {
          if (++rounds > 1000) throw new Error('deliver-all: no quiescence after 1000 rounds');
          this.deliver(() => true);
        }
        break;
      }
      case 'drop': {
        const sel = this.selector(args);
        for (const m of this.queue.filter(sel)) this.out.push(`dropped ${formatEnvelope(m)}`);
        this.queue = this.queue.filter((m) => !sel(m));
        break;
      }
      case 'isolate':
        for (const id of this.ids(args)) this.isolated.add(id);
        break;
      case 'heal':
        this.isolated.clear();
        break;
      case 'tick': {
        // tick <id | id,id,... | all> [count]
        const [who, n] = args;
        if (who === undefined || args.length > 2) throw new Error('usage: tick <id|id,id|all> [count]');
        const count = n === undefined ? 1 : Number(n);
        const ids = this.ids(who === 'all' ? ['all'] : who.split(','));
        for (let t = 0; t < count; t++) {
          for (const id of ids) {
            const e = this.server(id).election;
            if (e === undefined) continue;
            e.tick();
            this.flush(id);
          }
        }
        break;
      }
      case 'update-epoch': {
        const kv = this.kv(args);
        for (const id of this.ids(args)) this.running(id).updatePeerEpoch(Number(kv.get('epoch')));
        break;
      }
      case 'queued':
        for (const m of this.queue) this.out.push(formatEnvelope(m));
        break;
      case 'status':
        for (const id of args.length === 0 ? [...this.servers.keys()].sort((a, b) => a - b) : this.ids(args)) {
          this.out.push(this.status(id));
        }
        break;
      default:
        throw new Error(`unknown command ${verb}`);
    }
    for (const s of this.servers.values()) s.election?.invariants();
    return this.out.length === 0 ? ['ok'] : this.out;
  }

  // ------------------------------------------------------------ commands

  private config(args: string[]): void {
    this.frozen('config');
    const kv = this.kv(args);
    const num = (k: string, d: number): number => (kv.has(k) ? Number(kv.get(k)) : d);
    this.timings = {
      finalizeWaitTicks: num('finalize', this.timings.finalizeWaitTicks),
      minNotificationTicks: num('min-notify', this.timings.minNotificationTicks),
      maxNotificationTicks: num('max-notify', this.timings.maxNotificationTicks),
    };
  }

  private data(args: string[]): void {
    const kv = this.kv(args);
    for (const id of this.ids(args)) {
      const s = this.server(id);
      s.data = {
        zxid: kv.has('zxid') ? parseZxid(kv.get('zxid') as string) : s.data.zxid,
        epoch: kv.has('epoch') ? Number(kv.get('epoch')) : s.data.epoch,
      };
    }
  }

  private start(id: number): void {
    const s = this.server(id);
    if (s.election === undefined) {
      this.quorum ??= majorityQuorum(this.voters);
      s.election = new Election({
        myId: id,
        quorum: this.quorum,
        lastZxid: s.data.zxid,
        currentEpoch: s.data.epoch,
        observer: this.observers.includes(id),
        ...this.timings,
      });
    }
    s.election.start({ lastZxid: s.data.zxid, currentEpoch: s.data.epoch });
    this.flush(id);
  }

  private deliver(sel: (m: Envelope) => boolean): void {
    const now = this.queue.filter(sel);
    this.queue = this.queue.filter((m) => !sel(m));
    for (const m of now) {
      const e = this.servers.get(m.to)?.election;
      if (e === undefined) {
        this.out.push(`dropped ${formatEnvelope(m)} (${m.to} is down)`);
        continue;
      }
      this.out.push(`> ${formatEnvelope(m)}`);
      e.step(m.from, m.msg);
      this.flush(m.to);
    }
  }

  private flush(id: number): void {
    const e = this.running(id);
    if (!e.hasReady()) return;
    const rd = e.ready();
    for (const m of rd.messages) {
      if (this.isolated.has(m.from) || this.isolated.has(m.to)) {
        this.out.push(`${formatEnvelope(m)} [lost: isolated]`);
      } else {
        this.out.push(formatEnvelope(m));
        this.queue.push(m);
      }
    }
    if (rd.decided !== undefined) {
      const d = rd.decided;
      this.out.push(`${id} DECIDED ${d.state} leader=${d.leader} vote=${formatVote(d.vote)} voteSet={${d.voteSet.join(',')}}`);
    }
    if (rd.lookingVoters.length > 0) this.out.push(`${id} reportLookingSid ${rd.lookingVoters.join(' ')}`);
    e.advance();
  }

  private status(id: number): string {
    const e = this.server(id).election;
    if (e === undefined) return `${id}: down`;
    const st = e.status();
    let line = `${id}: ${st.state}${st.observer ? ' (observer)' : ''} clock=${st.logicalClock} vote=${formatVote(st.vote)}`;
    if (st.state === 'LOOKING') {
      const tally = (xs: typeof st.received) => xs.map((r) => `${r.sid}:${r.vote.leader}`).join(',');
      line += ` recv={${tally(st.received)}}`;
      if (st.outOfElection.length > 0) line += ` outofelection={${tally(st.outOfElection)}}`;
      if (st.finalizeTicksLeft !== undefined) line += ` finalize=${st.finalizeTicksLeft}`;
      line += ` notify-interval=${st.notificationIntervalTicks}`;
    }
    return line;
  }

  // ------------------------------------------------------------ parsing helpers

  private frozen(what: string): void {
    if (this.quorum !== undefined) throw new Error(`${what}: membership is fixed once a server started`);
  }

  private ids(args: string[]): number[] {
    const plain = args.filter((a) => !a.includes('='));
    if (plain.length === 1 && plain[0] === 'all') return [...this.servers.keys()].filter((id) => this.servers.get(id)?.election !== undefined).sort((a, b) => a - b);
    return plain.map((a) => {
      const n = Number(a);
      if (!Number.isSafeInteger(n)) throw new Error(`bad server id ${a}`);
      return n;
    });
  }

  private kv(args: string[]): Map<string, string> {
    return new Map(args.filter((a) => a.includes('=')).map((a) => a.split('=', 2) as [string, string]));
  }

  private selector(args: string[]): (m: Envelope) => boolean {
    const arrow = args.length === 1 ? /^(\d+)->(\d+)$/.exec(args[0] as string) : null;
    if (arrow !== null) {
      const from = Number(arrow[1]);
      const to = Number(arrow[2]);
      return (m) => m.from === from && m.to === to;
    }
    const to = new Set(this.ids(args));
    return (m) => to.has(m.to);
  }

  private server(id: number): Server {
    if (!this.voters.includes(id) && !this.observers.includes(id)) throw new Error(`server ${id} was not added`);
    let s = this.servers.get(id);
    if (s === undefined) {
      s = { data: { zxid: 0n, epoch: 0 }, election: undefined };
      this.servers.set(id, s);
    }
    return s;
  }

  private running(id: number): Election {
    const e = this.server(id).election;
    if (e === undefined) throw new Error(`server ${id} is not running`);
    return e;
  }
}

/** Replays a transcript file; returns `[expected text, actual text]`. */
export function runTranscript(path: string): [string, string] {
  const text = readFileSync(path, 'utf8');
  const { blocks, tail } = parseTranscript(text);
  const env = new Env();
  const out: string[] = [];
  for (const b of blocks) {
    let result: string[];
    try {
      result = env.run(b.cmd);
    } catch (err) {
      result = [`error: ${err instanceof Error ? err.message : String(err)}`];
    }
    out.push(...b.pre, b.cmd, '----', ...result);
  }
  out.push(...tail);
  return [text, out.join('\n')];
}
