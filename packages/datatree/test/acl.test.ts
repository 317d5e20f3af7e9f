import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@zk/protocol';
import { checkAcl, fixupAcl, OPEN_ACL_UNSAFE, redactDigests } from '../src/acl.js';
import { AuthRegistry, authenticate, generateDigest, ipIsValid, ipMatches } from '../src/auth.js';

describe('generateDigest (values printed by ZooKeeper 3.8.0 DigestAuthenticationProvider.main)', () => {
  it.each([
    ['super:test', 'super:D/InIHSb7yEEbrWz8b9l71RjZJU='],
    ['user:pass', 'user:smGaoVKd/cQkjm7b88GyorAUz20='],
    ['nocolon', 'nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g='],
    ['a:b:c', 'a:cLzgnoJ6mP5qz3w+mwvPE2vDgu0='],
    ['ü:ß', 'ü:vB6Co0vguxtrKN0lKrXliXiGJq4='],
  ])('%s', (input, out) => {
    expect(generateDigest(input)).toBe(out);
  });
});

describe('authenticate (addauth)', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('digest gives the digest id; the super digest adds super first', () => {
    expect(authenticate('digest', bytes('user:pass'), '127.0.0.1')).toEqual([{ scheme: 'digest', id: 'user:smGaoVKd/cQkjm7b88GyorAUz20=' }]);
    expect(authenticate('digest', bytes('super:test'), '127.0.0.1', { superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' })).toEqual([
      { scheme: 'super', id: '' },
      { scheme: 'digest', id: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' },
    ]);
    expect(authenticate('digest', bytes('super:wrong'), '127.0.0.1', { superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' })).toHaveLength(1);
  });
  it('ip gives the remote address; unknown scheme / null digest data fail', () => {
    expect(authenticate('ip', null, '10.0.0.7')).toEqual([{ scheme: 'ip', id: '10.0.0.7' }]);
    expect(authenticate('sasl', bytes('x'), '10.0.0.7')).toBe(ErrorCode.AUTHFAILED);
    expect(authenticate('digest', null, '10.0.0.7')).toBe(ErrorCode.AUTHFAILED);
    expect(new AuthRegistry({ digestEnabled: false }).authenticate('digest', bytes('a:b'), 'x')).toBe(ErrorCode.AUTHFAILED);
  });
});

describe('ip ACLs (3.8: IPv4 only)', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.4', '10.1.2.3', false],
    ['10.1.2.4', '10.1.2.0/30', false],
    ['10.1.2.3', '10.1.2.0/30', true],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['1.2.3.4', '1.2.3.4/33', false],
    ['1.2.3.4', '1.2.3.4/', false],
    ['::1', '::1', false],
  ])('%s in %s -> %s', (addr, expr, ok) => {
    expect(ipMatches(addr, expr)).toBe(ok);
  });
  it('validity', () => {
    expect(ipIsValid('1.2.3.4')).toBe(true);
    expect(ipIsValid('1.2.3.4/+8')).toBe(true); // Integer.parseInt accepts a sign
    expect(ipIsValid('1.2.3')).toBe(false);
    expect(ipIsValid('256.1.1.1')).toBe(false);
    expect(ipIsValid('::1')).toBe(false);
    expect(ipIsValid('::1', true)).toBe(true);
    expect(ipMatches('fe80::1:2', 'fe80::/16', true)).toBe(true);
    expect(ipMatches('fe81::1', 'fe80::/16', true)).toBe(false);
    expect(ipMatches('fe81::1', 'fe80::/15', true)).toBe(true);
    expect(ipMatches('fe82::1', 'fe80::/15', true)).toBe(false);
    expect(ipMatches('1.2.3.4', '::ffff:1.2.3.4', true)).toBe(false);
  });
});

describe('checkAcl', () => {
  const user = { scheme: 'digest', id: generateDigest('user:pass') };
  const acl = [
    { perms: 1, id: user },
    { perms: 2, id: { scheme: 'ip', id: '10.0.0.0/8' } },
    { perms: 4, id: { scheme: 'world', id: 'anyone' } },
  ];
  it('matrix', () => {
    expect(checkAcl(acl, 1, [user])).toBe(true);
    expect(checkAcl(acl, 2, [user])).toBe(false);
    expect(checkAcl(acl, 2, [{ scheme: 'ip', id: '10.9.9.9' }])).toBe(true);
    expect(checkAcl(acl, 4, [])).toBe(true);
    expect(checkAcl(acl, 8, [user])).toBe(false);
    expect(checkAcl(acl, 16, [{ scheme: 'super', id: '' }])).toBe(true);
    expect(checkAcl([], 16, [])).toBe(true); // an empty ACL grants everything
    expect(checkAcl(acl, 1 | 16, [user])).toBe(true); // getACL asks READ|ADMIN: any bit matches
    expect(checkAcl([{ perms: 31, id: { scheme: 'digest', id: 'u:x' } }], 1, [{ scheme: 'ip', id: 'u:x' }])).toBe(false);
  });
  it('fixupAcl', () => {
    expect(fixupAcl([], [])).toBe(ErrorCode.INVALIDACL);
    expect(fixupAcl(OPEN_ACL_UNSAFE, [])).toEqual(OPEN_ACL_UNSAFE);
    expect(fixupAcl([{ perms: 5, id: { scheme: 'auth', id: 'ignored' } }], [{ scheme: 'ip', id: '1.1.1.1' }, user, { scheme: 'super', id: '' }])).toEqual([
      { perms: 5, id: user },
    ]);
  });
  it('redactDigests for getACL without ADMIN', () => {
    expect(redactDigests(acl)[0]).toEqual({ perms: 1, id: { scheme: 'digest', id: 'user:x' } });
    expect(redactDigests(acl)[1]).toBe(acl[1]);
  });
});
