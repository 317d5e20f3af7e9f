// Checks on a running ensemble: what each member holds (read through a client connected to that
// member only, after a sync), acknowledged writes present with their data everywhere, members equal,
// and (zk-ts) equal tree digests once every member has applied the same last zxid.

import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, isZooKeeperError } from '@zk/client';
import { fourLetterWord, sleep, syncedBy, zkTsCliPath, zooKeeperClasspath, zooKeeperSyncEvents, type EnsembleMember } from '@zk/testkit';
import { TARGET } from './target.js';
import { CLIENT_OPTIONS } from './load.js';

/** path -> data of every child of `prefix`, as `member` has it (after a sync through it). */
export async function readChildren(member: EnsembleMember, prefix: string): Promise<Map<string, string>> {
  const zk = await connect(member.connectString, { ...CLIENT_OPTIONS, timeoutMs: 30_000 });
  try {
    await zk.sync(prefix);
    let children: string[];
    try {
      ({ children } = await zk.getChildren(prefix));
    } catch (e) {
      if (isZooKeeperError(e, 'NONODE')) return new Map();
      throw e;
    }
    const out = new Map<string, string>();
    // Pipelined: every getData is sent at once, answered in order.
    const datas = await Promise.all(children.map((c) => zk.getData(`${prefix}/${c}`).then((r) => r.data?.toString('utf8') ?? '')));
    children.forEach((c, i) => out.set(`${prefix}/${c}`, datas[i]!));
    return out;
  } finally {
    await zk.close().catch(() => undefined);
  }
}

export interface MemberCheck {
  id: number;
  nodes: number;
  missing: string[];
  wrongData: string[];
}

/**
 * Every acknowledged write is on every listed member with its data, and every member holds the
 * same children of `prefix` with the same data. Throws a readable error otherwise.
 */
export async function expectAckedEverywhere(
  members: readonly EnsembleMember[],
  prefix: string,
  acked: ReadonlyMap<string, string>,
): Promise<MemberCheck[]> {
  const views = await Promise.all(members.map(async (m) => ({ m, view: await readChildren(m, prefix) })));
  const checks: MemberCheck[] = views.map(({ m, view }) => {
    const missing: string[] = [];
    const wrongData: string[] = [];
    for (const [path, data] of acked) {
      const got = view.get(path);
      if (got === undefined) missing.push(path);
      else if (got !== data) wrongData.push(path);
    }
    return { id: m.id, nodes: view.size, missing, wrongData };
  });
  const problems: string[] = [];
  for (const c of checks) {
    if (c.missing.length > 0) problems.push(`server ${c.id} lacks ${c.missing.length} acknowledged writes, e.g. ${c.missing.slice(0, 5).join(', ')}`);
    if (c.wrongData.length > 0) problems.push(`server ${c.id} has other data in ${c.wrongData.length} acknowledged writes, e.g. ${c.wrongData.slice(0, 5).join(', ')}`);
  }
  const [first, ...rest] = views;
  for (const { m, view } of rest) {
    const only = [...view.keys()].filter((k) => !first!.view.has(k));
    const lacks = [...first!.view.keys()].filter((k) => !view.has(k));
    const differ = [...view].filter(([k, v]) => first!.view.has(k) && first!.view.get(k) !== v).map(([k]) => k);
    if (only.length + lacks.length + differ.length > 0) {
      problems.push(
        `server ${m.id} and server ${first!.m.id} differ under ${prefix}: ${only.length} only on ${m.id} (${only.slice(0, 3).join(', ')}), ` +
          `${lacks.length} only on ${first!.m.id} (${lacks.slice(0, 3).join(', ')}), ${differ.length} with other data`,
      );
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return checks;
}

/**
 * Every listed member has applied the same last zxid and (zk-ts) has the same tree digest: zk-ts is
 * asked with `hash` ("zxid: digest"), ZooKeeper with `srvr` (its Zxid line; no digest compared).
 * Waits until the zxids agree, then requires equal digests. Resolves with the common answer.
 */
export async function expectSameState(members: readonly EnsembleMember[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const ask = async (m: EnsembleMember): Promise<string> => {
    if (TARGET === 'zkts') return (await fourLetterWord(m.host, m.clientPort, 'hash', 3000)).trim();
    const zxid = /^Zxid: (0x[0-9a-f]+)/m.exec(await fourLetterWord(m.host, m.clientPort, 'srvr', 3000))?.[1];
    return zxid ?? 'no zxid';
  };
  const valid = TARGET === 'zkts' ? /^0x[0-9a-f]+: \d+$/ : /^0x[0-9a-f]+$/;
  let answers: string[] = [];
  for (;;) {
    answers = await Promise.all(members.map((m) => ask(m).catch((e: Error) => `error ${e.message}`)));
    const zxids = answers.map((a) => a.split(':')[0]);
    if (zxids.every((z) => z === zxids[0]) && answers.every((a) => valid.test(a))) {
      if (answers.every((a) => a === answers[0])) return answers[0]!;
      throw new Error(`same last zxid, different tree digests: ${members.map((m, i) => `server ${m.id} ${answers[i]}`).join('; ')}`);
    }
    if (Date.now() > deadline) throw new Error(`members never reached the same zxid: ${members.map((m, i) => `server ${m.id} ${answers[i]}`).join('; ')}`);
    await sleep(100);
  }
}

export interface SyncRecord {
  how: 'DIFF' | 'TRUNC' | 'SNAP';
  /** The leader it synced with (zk-ts says; ZooKeeper's sync lines do not: null). */
  leader: number | null;
  /** The log line / reason it was read from. */
  reason: string;
}

/**
 * How `member`'s current run synced when it joined: zk-ts's `ensemble role` record ("synced with
 * leader N by X"), or ZooKeeper's Learner.syncWithLeader line. Waits a little for it to be written.
 */
export async function syncOfCurrentRun(member: EnsembleMember, timeoutMs = 10_000): Promise<SyncRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (TARGET === 'zookeeper') {
      const ev = zooKeeperSyncEvents(member.logs('run'))[0];
      if (ev !== undefined) return { how: ev.how, leader: null, reason: ev.line.replace(/^.*? - /, '') };
    } else {
      for (const ev of member.roleEvents('run')) {
        const s = syncedBy(ev);
        if (s !== null) return { ...s, reason: ev.reason! };
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`server ${member.id} logged no sync with a leader in this run; role records:\n` +
        member.roleEvents('run').map((e) => JSON.stringify(e)).join('\n'));
    }
    await sleep(100);
  }
}

const execFileP = promisify(execFile);

/** The paths of the txns in a member's txn log (zk-ts: zkserver log-dump; ZooKeeper: TxnLogToolkit). */
export async function loggedPaths(member: EnsembleMember): Promise<string[]> {
  if (TARGET === 'zkts') return (await zkTsLoggedTxns(member)).flatMap((t) => (t.path !== undefined ? [t.path] : []));
  const dir = join(member.dataDir, 'version-2');
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith('log.'))) {
    const java = process.env['ZK_JAVA'] ?? 'java';
    const toolkit = ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', zooKeeperClasspath(), 'org.apache.zookeeper.server.persistence.TxnLogToolkit'];
    const { stdout } = await execFileP(java, [...toolkit, join(dir, f)], {
      maxBuffer: 256 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    // e.g. "11/25/26, 3:19:47 AM UTC session 0x10000aaf8d80000 cxid 0x1 zxid 0x100000002 create2 /abc,hello,[31,s{…"
    for (const m of stdout.matchAll(/ zxid 0x[0-9a-f]+ (?:create\w*|setData|delete\w*) (\/[^,\s]*)/g)) out.push(m[1]!);
  }
  return out;
}

/** zk-ts: the txns of a member's log segments (zkserver log-dump --json), oldest segment first. */
export async function zkTsLoggedTxns(member: EnsembleMember): Promise<Array<{ zxid: string; type: string; path?: string }>> {
  const dir = join(member.dataDir, 'zkts-v1');
  const segments = readdirSync(dir)
    .filter((f) => /^log\.[0-9a-f]+$/.test(f))
    .sort((a, b) => (BigInt('0x' + a.slice(4)) < BigInt('0x' + b.slice(4)) ? -1 : 1));
  const out: Array<{ zxid: string; type: string; path?: string }> = [];
  for (const s of segments) {
    const { stdout } = await execFileP(process.execPath, [zkTsCliPath(), 'log-dump', join(dir, s), '--json'], { maxBuffer: 256 * 1024 * 1024 }).catch(
      (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
    );
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const j = JSON.parse(line) as { zxid?: string; type?: string; path?: string };
      if (j.zxid !== undefined && j.type !== undefined) out.push({ zxid: j.zxid, type: j.type, ...(j.path !== undefined ? { path: j.path } : {}) });
    }
  }
  return out;
}

/** The member synced with leader `id` (checked where the server says which leader: zk-ts). */
export function expectSyncedWith(sync: SyncRecord, id: number): void {
  if (sync.leader !== null && sync.leader !== id) throw new Error(`synced with leader ${sync.leader}, expected ${id} (${sync.reason})`);
}
