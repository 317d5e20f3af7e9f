/**
 * Data-driven transcripts (etcd-io/raft `testdata/*.txt` style): each block is
 * a command, a `----` line and the golden output, ended by a blank line.
 * `runTranscript` replays the commands and returns the file with the actual
 * outputs, so a test compares it to the original and `UPDATE=1` rewrites it.
 */
import { formatZxid } from '@zk/zxid';
import { bytesOf, Cluster, type ClusterOptions } from './cluster.js';

interface Block {
  readonly comments: string[];
  readonly command: string;
}

export function parseTranscript(text: string): { blocks: Block[]; trailing: string[] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let comments: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' ) {
      i++;
      continue;
    }
    if (line.startsWith('#')) {
      comments.push(line);
      i++;
      continue;
    }
    const command = line;
    i++;
    if (lines[i] !== '----') throw new Error(`transcript: expected ---- after "${command}" (line ${i + 1})`);
    i++;
    while (i < lines.length && lines[i]!.trim() !== '') i++; // old output
    blocks.push({ comments, command });
    comments = [];
  }
  return { blocks, trailing: comments };
}

function parseArgs(words: string[]): { pos: string[]; kv: Map<string, string> } {
  const pos: string[] = [];
  const kv = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) kv.set(w.slice(0, eq), w.slice(eq + 1));
    else pos.push(w);
  }
  return { pos, kv };
}

const ids = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(',').map(Number));

export class TranscriptRunner {
  private cluster: Cluster | null = null;

  private get c(): Cluster {
    if (this.cluster === null) throw new Error('add-servers first');
    return this.cluster;
  }

  run(command: string): string[] {
    const [verb, ...rest] = command.trim().split(/\s+/);
    const { pos, kv } = parseArgs(rest);
    const num = (i: number): number => {
      const v = pos[i];
      if (v === undefined) throw new Error(`${verb}: missing argument ${i + 1}`);
      return Number(v);
    };
    const extra: string[] = [];
    switch (verb) {
      case 'add-servers': {
        const opts: ClusterOptions = {
          voters: pos.map(Number),
          observers: ids(kv.get('observers')),
          ...(kv.has('initLimit') ? { initLimit: Number(kv.get('initLimit')) } : {}),
          ...(kv.has('syncLimit') ? { syncLimit: Number(kv.get('syncLimit')) } : {}),
          ...(kv.has('commitLogCount') ? { commitLogCount: Number(kv.get('commitLogCount')) } : {}),
          ...(kv.has('initialCounter') ? { initialCounter: Number(kv.get('initialCounter')) } : {}),
          ...(kv.has('autoSnapshot') ? { autoSnapshot: kv.get('autoSnapshot') !== 'false' } : {}),
        };
        this.cluster = new Cluster(opts);
        break;
      }
      case 'elect': {
        const leader = num(0);
        this.c.elect(leader, kv.has('members') ? ids(kv.get('members')) : undefined);
        break;
      }
      case 'join':
        // Only this server learns the election result (the leader keeps its state).
        this.c.with(num(0), (n) => n.electionComplete(num(1)));
        break;
      case 'propose':
        for (const p of pos.slice(1)) this.c.propose(num(0), p);
        break;
      case 'deliver': {
        const [a, b] = pos[0]!.split('->').map(Number) as [number, number];
        this.c.deliver(a, b, pos[1] === undefined ? Infinity : Number(pos[1]));
        break;
      }
      case 'deliver-all':
        this.c.deliverAll();
        break;
      case 'persist':
        for (const p of pos) this.c.persist(Number(p), kv.has('n') ? Number(kv.get('n')) : Infinity);
        break;
      case 'persist-all':
        this.c.persistAll();
        break;
      case 'stabilize':
        this.c.stabilize();
        break;
      case 'tick':
        this.c.tick(pos.length > 0 ? pos.map(Number) : this.c.sids.filter((s) => this.c.server(s).alive), Number(kv.get('times') ?? 1));
        break;
      case 'crash':
        this.c.crash(num(0), Number(kv.get('keep') ?? 0));
        break;
      case 'restart':
        this.c.restart(num(0));
        break;
      case 'drop': {
        const [a, b] = pos[0]!.split('<->').map(Number) as [number, number];
        this.c.drop(a, b);
        break;
      }
      case 'partition':
        this.c.partition(pos[0]!.split('|').map((g) => ids(g)));
        break;
      case 'heal':
        this.c.heal();
        break;
      case 'step-down':
        this.c.with(num(0), (n) => n.stepDown(kv.get('reason') ?? 'asked to'));
        break;
      case 'forward':
        this.c.with(num(0), (n) => {
          if (!n.forward(bytesOf(pos[1]!))) extra.push(`${pos[0]} forward refused: not serving`);
        });
        break;
      case 'sync':
        this.c.with(num(0), (n) => {
          if (!n.sync(Number(pos[1]))) extra.push(`${pos[0]} sync refused: not serving`);
        });
        break;
      case 'touch':
        this.c.with(num(0), (n) => n.setSessionTouches(bytesOf(pos[1]!)));
        break;
      case 'answer-snapshot':
        this.c.answerSnapshots();
        break;
      case 'status':
        for (const sid of pos.length > 0 ? pos.map(Number) : this.c.sids) extra.push(this.status(sid));
        break;
      case 'apps':
        for (const sid of pos.length > 0 ? pos.map(Number) : this.c.sids) {
          const s = this.c.server(sid);
          extra.push(`${sid} applied: ${s.alive ? s.app.applied.map((a) => `${a.payload}@${formatZxid(a.zxid)}`).join(' ') || '(none)' : '(down)'}`);
        }
        break;
      case 'disk':
        for (const sid of pos.map(Number)) {
          const d = this.c.server(sid).disk;
          const snap = d.snapshot === null ? 'none' : formatZxid(d.snapshot.zxid);
          extra.push(
            `${sid} disk: acceptedEpoch=${d.acceptedEpoch} currentEpoch=${d.currentEpoch} snapshot=${snap} log=[${d.log.map((e) => formatZxid(e.zxid)).join(' ')}]`,
          );
        }
        break;
      default:
        throw new Error(`unknown command ${verb}`);
    }
    const out = [...this.c.takeTrace(), ...extra];
    return out.length === 0 ? ['ok'] : out;
  }

  private status(sid: number): string {
    const s = this.c.server(sid);
    if (s.node === null) return `${sid} down`;
    const st = s.node.status();
    const parts = [
      `${sid} ${st.state} ${st.phase}`,
      `epoch=${st.epoch}`,
      ...(st.leader !== null && st.state !== 'LEADING' ? [`leader=${st.leader}`] : []),
      ...(st.serving ? ['serving'] : []),
      `accepted=${st.acceptedEpoch}`,
      `current=${st.currentEpoch}`,
      `last=${formatZxid(st.lastZxid)}`,
      `committed=${formatZxid(st.lastCommitted)}`,
      `delivered=${formatZxid(st.lastDelivered)}`,
    ];
    if (st.lastProposed !== undefined) parts.push(`proposed=${formatZxid(st.lastProposed)}`, `outstanding=${st.outstanding}`);
    if (st.learners !== undefined && st.learners.length > 0) {
      parts.push(`learners=[${st.learners.map((l) => `${l.sid}:${l.state}${l.syncMode === null ? '' : '/' + l.syncMode}`).join(' ')}]`);
    }
    return parts.join(' ');
  }
}

export function runTranscript(text: string): string {
  const { blocks, trailing } = parseTranscript(text);
  const runner = new TranscriptRunner();
  const out: string[] = [];
  for (const b of blocks) {
    out.push(...b.comments, b.command, '----', ...runner.run(b.command), '');
  }
  out.push(...trailing);
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
