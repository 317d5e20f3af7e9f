// ACL validation (PrepRequestProcessor.fixupACL), permission checks (ZooKeeperServer.checkACL)
// and the shared ACL-list cache (ReferenceCountedACLCache).
import type { ACL, Id } from '@zk/protocol';
import { ErrorCode, Perms } from '@zk/protocol';
import type { AuthRegistry } from './auth.js';
import { defaultAuthRegistry } from './auth.js';

export const ANYONE_ID: Readonly<Id> = Object.freeze({ scheme: 'world', id: 'anyone' });
export const AUTH_IDS: Readonly<Id> = Object.freeze({ scheme: 'auth', id: '' });
/** ZooDefs.Ids.OPEN_ACL_UNSAFE */
export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: ANYONE_ID })]);
/** ZooDefs.Ids.READ_ACL_UNSAFE */
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.READ, id: ANYONE_ID })]);
/** ZooDefs.Ids.CREATOR_ALL_ACL */
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: AUTH_IDS })]);

/** ACL cache id of OPEN_ACL_UNSAFE for the built-in nodes (ReferenceCountedACLCache's -1). */
export const OPEN_UNSAFE_ACL_ID = -1;

function aclEquals(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

export function aclListEquals(a: readonly ACL[], b: readonly ACL[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!aclEquals(a[i]!, b[i]!)) return false;
  return true;
}

/**
 * fixupACL: drop duplicates, reject an empty list or an invalid id (INVALIDACL), and expand
 * `auth` into one entry per authenticated id of the caller (ids of schemes whose provider counts
 * as authenticated, i.e. digest; an `auth` entry with none is INVALIDACL). Returns the ACL to
 * store, or an error code.
 */
export function fixupAcl(
  acls: readonly ACL[] | null | undefined,
  authIds: readonly Id[],
  registry: AuthRegistry = defaultAuthRegistry,
): ACL[] | typeof ErrorCode.INVALIDACL {
  if (acls == null || acls.length === 0) return ErrorCode.INVALIDACL;
  const uniq: ACL[] = [];
  for (const a of acls) {
    if (a == null || a.id == null || a.id.scheme == null) return ErrorCode.INVALIDACL;
    let dup = false;
    for (const u of uniq) if (aclEquals(u, a)) { dup = true; break; }
    if (!dup) uniq.push(a);
  }
  const out: ACL[] = [];
  for (const a of uniq) {
    const id = a.id;
    if (id.scheme === 'world' && id.id === 'anyone') {
      out.push(a);
    } else if (id.scheme === 'auth') {
      let valid = false;
      for (const cid of authIds) {
        const p = registry.get(cid.scheme);
        if (p !== undefined && p.isAuthenticated) {
          valid = true;
          out.push({ perms: a.perms, id: cid });
        }
      }
      if (!valid) return ErrorCode.INVALIDACL;
    } else {
      const p = registry.get(id.scheme);
      if (p === undefined || id.id == null || !p.isValid(id.id)) return ErrorCode.INVALIDACL;
      out.push(a);
    }
  }
  return out;
}

/**
 * ZooKeeperServer.checkACL: true when `authIds` grant `perm` on a node with `acl`. An empty ACL
 * grants everything; a "super" id bypasses all checks; world:anyone matches everyone; other
 * schemes match through their provider (digest: equal id; ip: address/prefix).
 */
export function checkAcl(
  acl: readonly ACL[] | null | undefined,
  perm: number,
  authIds: readonly Id[],
  registry: AuthRegistry = defaultAuthRegistry,
): boolean {
  if (acl == null || acl.length === 0) return true;
  for (let i = 0; i < authIds.length; i++) if (authIds[i]!.scheme === 'super') return true;
  for (let i = 0; i < acl.length; i++) {
    const a = acl[i]!;
    if ((a.perms & perm) === 0) continue;
    const id = a.id;
    if (id.scheme === 'world' && id.id === 'anyone') return true;
    const p = registry.get(id.scheme);
    if (p === undefined) continue;
    for (let j = 0; j < authIds.length; j++) {
      const authId = authIds[j]!;
      if (authId.scheme === id.scheme && p.matches(authId.id, id.id)) return true;
    }
  }
  return false;
}

/**
 * getACL without ADMIN permission: digest ids are shown as "user:x" (FinalRequestProcessor,
 * `id.replaceAll(":.*", ":x")`).
 */
export function redactDigests(acl: readonly ACL[]): ACL[] {
  return acl.map((a) => {
    if (a.id.scheme !== 'digest') return a;
    const i = a.id.id.indexOf(':');
    return i < 0 ? a : { perms: a.perms, id: { scheme: 'digest', id: a.id.id.slice(0, i) + ':x' } };
  });
}

function aclKey(acl: readonly ACL[]): string {
  let k = '';
  for (const a of acl) k += `${a.perms}\u0001${a.id.scheme}\u0001${a.id.id}\u0002`;
  return k;
}

/**
 * Interns ACL lists so nodes share one frozen array per distinct list, with reference counts
 * (ReferenceCountedACLCache). Id -1 is OPEN_ACL_UNSAFE and is not counted.
 */
export class AclCache {
  private readonly byId = new Map<number, readonly ACL[]>();
  private readonly byKey = new Map<string, number>();
  private readonly refs = new Map<number, number>();
  private nextIndex = 0;

  /** The list and id of the last `acquire` (creates in a row mostly carry the same ACL). */
  private lastList: readonly ACL[] | null = null;
  private lastId = 0;

  /** Intern `acl` and count one more use; returns its id. */
  acquire(acl: readonly ACL[]): number {
    const last = this.lastList;
    if (last !== null && aclListEquals(acl, last)) {
      const r = this.refs.get(this.lastId);
      if (r !== undefined) {
        this.refs.set(this.lastId, r + 1);
        return this.lastId;
      }
    }
    const key = aclKey(acl);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = ++this.nextIndex;
      const frozen = Object.freeze(
        acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })),
      );
      this.byId.set(id, frozen);
      this.byKey.set(key, id);
      this.refs.set(id, 0);
    }
    this.refs.set(id, this.refs.get(id)! + 1);
    this.lastList = this.byId.get(id)!;
    this.lastId = id;
    return id;
  }

  /** Count `n` more uses of an existing id (snapshot load). */
  addUsage(id: number, n = 1): void {
    if (id === OPEN_UNSAFE_ACL_ID) return;
    const r = this.refs.get(id);
    if (r !== undefined) this.refs.set(id, r + n);
  }

  release(id: number): void {
    if (id === OPEN_UNSAFE_ACL_ID) return;
    const r = this.refs.get(id);
    if (r === undefined) return;
    if (r <= 1) {
      const acl = this.byId.get(id)!;
      if (id === this.lastId) this.lastList = null;
      this.refs.delete(id);
      this.byId.delete(id);
      this.byKey.delete(aclKey(acl));
    } else {
      this.refs.set(id, r - 1);
    }
  }

  get(id: number): readonly ACL[] {
    if (id === OPEN_UNSAFE_ACL_ID) return OPEN_ACL_UNSAFE;
    const acl = this.byId.get(id);
    if (acl === undefined) throw new Error(`ACL not available for id ${id}`);
    return acl;
  }

  /** Number of distinct lists (aclCacheSize). */
  get size(): number {
    return this.byId.size;
  }

  entries(): IterableIterator<[number, readonly ACL[]]> {
    return this.byId.entries();
  }

  /** Snapshot load: register a list under a given id with zero uses. */
  restore(id: number, acl: readonly ACL[]): void {
    this.lastList = null;
    const frozen = Object.freeze(
      acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })),
    );
    this.byId.set(id, frozen);
    this.byKey.set(aclKey(frozen), id);
    this.refs.set(id, 0);
    if (id > this.nextIndex) this.nextIndex = id;
  }

  /** Drop lists nobody uses (after a snapshot load). */
  purgeUnused(): void {
    for (const [id, r] of this.refs) {
      if (r <= 0) {
        const acl = this.byId.get(id)!;
        if (id === this.lastId) this.lastList = null;
        this.refs.delete(id);
        this.byId.delete(id);
        this.byKey.delete(aclKey(acl));
      }
    }
  }

  clear(): void {
    this.lastList = null;
    this.byId.clear();
    this.byKey.clear();
    this.refs.clear();
    this.nextIndex = 0;
  }
}
