// Authentication providers (server/auth/*AuthenticationProvider.java) as pure functions:
// `digest` (user:base64(sha1(user:password))), `ip` (addr[/bits]) and the super digest.
import { createHash } from 'node:crypto';
import type { Id } from '@zk/protocol';
import { ErrorCode } from '@zk/protocol';
import { javaParseInt, javaSplit, javaSplit2 } from './java.js';

/** What ZooKeeper's ServerAuthenticationProvider contributes to ACL handling. */
export interface AuthProvider {
  readonly scheme: string;
  /** Ids of this scheme may stand in for the `auth` ACL scheme (digest: yes, ip: no). */
  readonly isAuthenticated: boolean;
  /** Is `id` acceptable in an ACL of this scheme (create / setACL validation)? */
  isValid(id: string): boolean;
  /** Does an authenticated id match an ACL expression of this scheme? */
  matches(authId: string, aclExpr: string): boolean;
  /** addauth: the ids gained, or null for AUTHFAILED. */
  authenticate(authData: Uint8Array | null, remoteAddress: string): Id[] | null;
}

export interface AuthOptions {
  /** zookeeper.DigestAuthenticationProvider.superDigest, e.g. "super:D/InIHSb7yEEbrWz8b9l71RjZJU=". */
  superDigest?: string;
  /** zookeeper.DigestAuthenticationProvider.enabled (default true). */
  digestEnabled?: boolean;
  /**
   * Accept IPv6 addresses in `ip` ACLs. ZooKeeper 3.8 only parses IPv4 (IPv6 ACLs are INVALIDACL
   * and never match); 3.9 added IPv6. Default false (3.8 behaviour).
   */
  ipv6?: boolean;
  /** Further providers (e.g. x509 or sasl equivalents) keyed by scheme. */
  extraProviders?: readonly AuthProvider[];
}

/** DigestAuthenticationProvider.generateDigest: "user:password" -> "user:base64(sha1(user:password))". */
export function generateDigest(idPassword: string): string {
  const user = javaSplit2(idPassword, ':')[0]!;
  const sha = createHash('sha1').update(idPassword, 'utf8').digest('base64');
  return `${user}:${sha}`;
}

export function digestProvider(superDigest?: string): AuthProvider {
  return {
    scheme: 'digest',
    isAuthenticated: true,
    // id.split(":").length == 2, with Java's trailing-empty-string removal
    isValid: (id) => javaSplit(id, ':').length === 2,
    matches: (authId, aclExpr) => authId === aclExpr,
    authenticate(authData) {
      if (authData === null) return null; // new String(null) throws: AUTHFAILED
      const digest = generateDigest(Buffer.from(authData.buffer, authData.byteOffset, authData.byteLength).toString('utf8'));
      const ids: Id[] = [];
      if (superDigest !== undefined && digest === superDigest) ids.push({ scheme: 'super', id: '' });
      ids.push({ scheme: 'digest', id: digest });
      return ids;
    },
  };
}

function v4Bytes(addr: string): Uint8Array | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const b = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = javaParseInt(parts[i]!);
    if (!(v >= 0 && v <= 255)) return null;
    b[i] = v;
  }
  return b;
}

function v6Bytes(addr: string): Uint8Array | null {
  const zone = addr.indexOf('%');
  if (zone >= 0) addr = addr.slice(0, zone);
  if (addr.length < 2 || !/^[0-9a-fA-F:.]+$/.test(addr)) return null;
  const dbl = addr.indexOf('::');
  if (dbl >= 0 && addr.indexOf('::', dbl + 1) >= 0) return null;
  const words: number[] = [];
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const groups = s.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = v4Bytes(g);
        if (v4 === null) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (dbl >= 0) {
    const head = parseGroups(addr.slice(0, dbl));
    const tail = parseGroups(addr.slice(dbl + 2));
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    words.push(...head);
    for (let i = head.length + tail.length; i < 8; i++) words.push(0);
    words.push(...tail);
  } else {
    const all = parseGroups(addr);
    if (all === null || all.length !== 8) return null;
    words.push(...all);
  }
  const b = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    b[2 * i] = words[i]! >> 8;
    b[2 * i + 1] = words[i]! & 0xff;
  }
  return b;
}

function addrBytes(addr: string, ipv6: boolean): Uint8Array | null {
  const v4 = v4Bytes(addr);
  if (v4 !== null || !ipv6) return v4;
  return v6Bytes(addr);
}

function maskBytes(b: Uint8Array, bits: number): void {
  let start = bits >> 3;
  let m = ~((1 << (8 - (bits % 8))) - 1);
  while (start < b.length) {
    b[start] = b[start]! & m;
    m = 0;
    start++;
  }
}

/** IPAuthenticationProvider.matches: `aclExpr` is "addr" or "addr/bits". */
export function ipMatches(remote: string, aclExpr: string, ipv6 = false): boolean {
  const parts = javaSplit2(aclExpr, '/');
  const acl = addrBytes(parts[0]!, ipv6);
  if (acl === null) return false;
  let bits = acl.length * 8;
  if (parts.length === 2) {
    bits = javaParseInt(parts[1]!);
    if (!(bits >= 0 && bits <= acl.length * 8)) return false;
  }
  const r = addrBytes(remote, ipv6);
  if (r === null || r.length !== acl.length) return false;
  maskBytes(acl, bits);
  maskBytes(r, bits);
  for (let i = 0; i < r.length; i++) if (r[i] !== acl[i]) return false;
  return true;
}

/** IPAuthenticationProvider.isValid. */
export function ipIsValid(expr: string, ipv6 = false): boolean {
  const parts = javaSplit2(expr, '/');
  const acl = addrBytes(parts[0]!, ipv6);
  if (acl === null) return false;
  if (parts.length === 2) {
    const bits = javaParseInt(parts[1]!);
    if (!(bits >= 0 && bits <= acl.length * 8)) return false;
  }
  return true;
}

export function ipProvider(ipv6 = false): AuthProvider {
  return {
    scheme: 'ip',
    isAuthenticated: false,
    isValid: (id) => ipIsValid(id, ipv6),
    matches: (authId, aclExpr) => ipMatches(authId, aclExpr, ipv6),
    authenticate: (_data, remoteAddress) => [{ scheme: 'ip', id: remoteAddress }],
  };
}

/** The registered providers (ProviderRegistry): ip, digest (unless disabled), plus extras. */
export class AuthRegistry {
  private readonly providers = new Map<string, AuthProvider>();

  constructor(options: AuthOptions = {}) {
    this.providers.set('ip', ipProvider(options.ipv6 === true));
    if (options.digestEnabled !== false) this.providers.set('digest', digestProvider(options.superDigest));
    for (const p of options.extraProviders ?? []) this.providers.set(p.scheme, p);
  }

  get(scheme: string): AuthProvider | undefined {
    return this.providers.get(scheme);
  }

  schemes(): string[] {
    return [...this.providers.keys()];
  }

  /**
   * addauth (OpCode.auth): the ids to add to the connection, or AUTHFAILED (unknown scheme, or the
   * provider refused). The server adds each id unless already present and closes the connection on
   * AUTHFAILED.
   */
  authenticate(scheme: string, authData: Uint8Array | null, remoteAddress: string): Id[] | typeof ErrorCode.AUTHFAILED {
    const p = this.providers.get(scheme);
    if (p === undefined) return ErrorCode.AUTHFAILED;
    const ids = p.authenticate(authData, remoteAddress);
    return ids === null ? ErrorCode.AUTHFAILED : ids;
  }
}

/** The default registry (ip + digest, no super digest). */
export const defaultAuthRegistry: AuthRegistry = new AuthRegistry();

/**
 * addauth with the default providers plus an optional super digest. Returns the ids to add, or
 * ErrorCode.AUTHFAILED.
 */
export function authenticate(
  scheme: string,
  authData: Uint8Array | null,
  remoteAddress: string,
  options?: AuthOptions,
): Id[] | typeof ErrorCode.AUTHFAILED {
  const reg = options === undefined ? defaultAuthRegistry : new AuthRegistry(options);
  return reg.authenticate(scheme, authData, remoteAddress);
}
