/**
 * What the simulated clients know about the znodes they write: for each path, every write issued
 * on it in issue order (acknowledged, failed, or in doubt because the connection was lost), plus
 * the sessions that died (or may have died) in between. Folding that list gives the set of states
 * the path may be in; an acknowledged write collapses the set (ZooKeeper applies one client's
 * writes in the order it sent them, so anything it sent earlier is decided by then).
 *
 * Each path is written by one client only (its own subtree /c<k>), so the fold is exact up to
 * in-doubt writes and deaths. Reads of other clients' paths are checked more weakly (see client.ts).
 */
import { ErrorCode } from '@zk/protocol';

export type OpKind = 'create' | 'set' | 'delete' | 'check';
export type Status = 'pending' | 'acked' | 'failed' | 'indoubt';

export interface Entry {
  readonly seq: number;
  readonly kind: OpKind;
  /** The path; for a sequential create, the parent until the reply names the node. */
  path: string;
  readonly session: bigint;
  readonly client: number;
  /** create / set: the (unique) data written. */
  readonly data: string;
  readonly ephemeral: boolean;
  readonly sequential: boolean;
  /** set / delete / check: the expected version (-1: any). */
  readonly version: number;
  readonly issuedAt: number;
  status: Status;
  /** Virtual time of the reply (or of the loss). */
  doneAt?: number;
  /** World seq when the reply (or the loss) arrived: orders it against other clients' requests. */
  doneSeq?: number;
  zxid?: bigint;
  /** set, acknowledged: the version the reply reported. */
  resultVersion?: number;
  err?: number;
}

/** A session of the owning client ended (definite: its closeSession was acknowledged) or may end from now on. */
export interface Death {
  readonly seq: number;
  readonly session: bigint;
  readonly definite: boolean;
}

export interface NodeState {
  readonly exists: boolean;
  readonly data: string;
  readonly version: number;
  readonly owner: bigint;
  /** Known when the write that produced the state was acknowledged. */
  readonly mzxid: bigint | undefined;
}

/** What a read saw. `data` is absent for exists(). */
export interface Observation {
  readonly exists: boolean;
  readonly data?: string;
  readonly version?: number;
  readonly owner?: bigint;
  readonly mzxid?: bigint;
}

export const ABSENT: NodeState = { exists: false, data: '', version: -1, owner: 0n, mzxid: undefined };

export class PathModel {
  readonly entries: Entry[] = [];
  constructor(readonly path: string, readonly client: number) {}
}

export interface FoldOptions {
  /**
   * A world seq (see World.nextSeq): writes decided after it count as in doubt, and possible deaths
   * registered after it are ignored as definite (for a read whose sync was sent at that point).
   */
  readonly asOf?: number;
  /** The end: these sessions are dead for certain (their ephemerals must be gone). */
  readonly dead?: ReadonlySet<bigint>;
}

export interface FoldResult {
  readonly states: NodeState[];
  /** The first inconsistency between an acknowledged/failed write and what the earlier writes allow. */
  readonly violation?: string;
}

const key = (s: NodeState): string => (s.exists ? `1|${s.data}|${s.version}|${s.owner}|${s.mzxid ?? '?'}` : '0');

function dedupe(xs: NodeState[]): NodeState[] {
  const seen = new Map<string, NodeState>();
  for (const s of xs) if (!seen.has(key(s))) seen.set(key(s), s);
  return [...seen.values()];
}

const versionOk = (s: NodeState, v: number): boolean => s.exists && (v === -1 || s.version === v);

/** The state after `e` succeeded on `s`, or null if its precondition fails there. */
function applied(e: Entry, s: NodeState, zxid: bigint | undefined, resultVersion: number | undefined): NodeState | null {
  switch (e.kind) {
    case 'create':
      return s.exists ? null : { exists: true, data: e.data, version: 0, owner: e.ephemeral ? e.session : 0n, mzxid: zxid };
    case 'set': {
      if (!versionOk(s, e.version)) return null;
      if (resultVersion !== undefined && resultVersion !== s.version + 1) return null;
      return { exists: true, data: e.data, version: s.version + 1, owner: s.owner, mzxid: zxid };
    }
    case 'delete':
      return versionOk(s, e.version) ? ABSENT : null;
    case 'check':
      return versionOk(s, e.version) ? s : null;
  }
}

/** Does a failure with `err` fit state `s` (the precondition the server reported as broken)? */
function failureFits(e: Entry, s: NodeState, err: number): boolean | undefined {
  switch (err) {
    case ErrorCode.NODEEXISTS:
      return e.kind === 'create' ? s.exists : undefined;
    case ErrorCode.NONODE:
      return e.kind === 'create' ? undefined : !s.exists;
    case ErrorCode.BADVERSION:
      return e.kind !== 'create' && s.exists && e.version !== -1 && s.version !== e.version;
    default:
      return undefined; // no information (session errors, a multi's other ops)
  }
}

function describe(e: Entry): string {
  const v = e.kind === 'create' ? `${e.ephemeral ? 'ephemeral ' : ''}data=${e.data}` : e.kind === 'set' ? `data=${e.data} version=${e.version}` : `version=${e.version}`;
  return `${e.kind} ${e.path} (${v}, session 0x${e.session.toString(16)}, issued at ${e.issuedAt}${e.zxid !== undefined ? `, zxid 0x${e.zxid.toString(16)}` : ''})`;
}

export function describeStates(states: readonly NodeState[]): string {
  return states.map((s) => (s.exists ? `{data=${s.data} v${s.version}${s.owner !== 0n ? ` eph 0x${s.owner.toString(16)}` : ''}${s.mzxid !== undefined ? ` mzxid 0x${s.mzxid.toString(16)}` : ''}}` : '{absent}')).join(' | ');
}

export function describeObservation(o: Observation): string {
  if (!o.exists) return '{absent}';
  return `{${o.data !== undefined ? `data=${o.data} ` : ''}v${o.version}${o.owner !== undefined && o.owner !== 0n ? ` eph 0x${o.owner.toString(16)}` : ''} mzxid 0x${(o.mzxid ?? 0n).toString(16)}}`;
}

/**
 * Folds a path's writes (and the owner's deaths) into the set of states it may be in.
 * In-doubt (and pending) writes may or may not have taken effect; a possible death may strike at
 * any later point; an acknowledged write fixes the state; a failure filters it.
 */
export function fold(pm: PathModel, deaths: readonly Death[], opts: FoldOptions = {}): FoldResult {
  let states: NodeState[] = [ABSENT];
  let violation: string | undefined;
  const maybeDead = new Set<bigint>();
  const asOf = opts.asOf ?? Number.POSITIVE_INFINITY;
  const closure = (): void => {
    if (maybeDead.size === 0) return;
    const extra: NodeState[] = [];
    for (const s of states) if (s.exists && s.owner !== 0n && maybeDead.has(s.owner)) extra.push(ABSENT);
    if (extra.length > 0) states = dedupe([...states, ...extra]);
  };
  let di = 0;
  const takeDeaths = (beforeSeq: number): void => {
    while (di < deaths.length && deaths[di]!.seq < beforeSeq) {
      const d = deaths[di++]!;
      if (d.definite && d.seq < asOf) {
        states = dedupe(states.map((s) => (s.exists && s.owner === d.session ? ABSENT : s)));
        maybeDead.delete(d.session);
      } else {
        maybeDead.add(d.session);
      }
      closure();
    }
  };
  for (const e of pm.entries) {
    takeDeaths(e.seq);
    const decided = (e.status === 'acked' || e.status === 'failed') && (e.doneSeq ?? 0) < asOf;
    if (decided && e.status === 'acked') {
      const next: NodeState[] = [];
      for (const s of states) {
        const t = applied(e, s, e.zxid, e.resultVersion);
        if (t !== null) next.push(t);
      }
      if (next.length === 0) {
        violation ??= `acknowledged ${describe(e)}${e.resultVersion !== undefined ? ` -> version ${e.resultVersion}` : ''} is impossible: the path can only be ${describeStates(states)}`;
      } else {
        states = dedupe(next);
      }
    } else if (decided && e.status === 'failed') {
      const fits = states.filter((s) => failureFits(e, s, e.err!) !== false);
      if (fits.length === 0) {
        violation ??= `${describe(e)} failed with ${e.err} but the path can only be ${describeStates(states)}`;
      } else {
        states = fits;
      }
    } else if (e.status !== 'failed') {
      // pending / in doubt / decided after asOf: it may or may not have taken effect (yet)
      const known = e.status === 'acked';
      const extra: NodeState[] = [];
      for (const s of states) {
        const t = applied(e, s, known ? e.zxid : undefined, known ? e.resultVersion : undefined);
        if (t !== null && t !== s) extra.push(t);
      }
      states = dedupe([...states, ...extra]);
    }
    closure();
  }
  takeDeaths(Number.POSITIVE_INFINITY);
  if (opts.dead !== undefined) {
    const dead = opts.dead;
    states = dedupe(states.map((s) => (s.exists && s.owner !== 0n && dead.has(s.owner) ? ABSENT : s)));
  }
  return violation !== undefined ? { states, violation } : { states };
}

export function matches(s: NodeState, o: Observation): boolean {
  if (!o.exists) return !s.exists;
  if (!s.exists) return false;
  if (o.data !== undefined && o.data !== s.data) return false;
  if (o.version !== undefined && o.version !== s.version) return false;
  if (o.owner !== undefined && o.owner !== s.owner) return false;
  if (o.mzxid !== undefined && s.mzxid !== undefined && o.mzxid !== s.mzxid) return false;
  return true;
}
