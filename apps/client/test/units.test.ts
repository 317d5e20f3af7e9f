// The pure parts of zkcli: word splitting, option parsing, zkCli.sh's formats, ACL parsing.

import { describe, expect, it } from 'vitest';
import { CliError, aclLines, eventString, idString, javaDate, parseAcl, parseArgs, parseFlags, permString, statLines, tokenize } from '../src/index.js';

describe('tokenize (MyCommandOptions.parseCommand)', () => {
  it('splits on spaces and keeps quoted words whole', () => {
    expect(tokenize('  create /a "two words"  world:anyone:r ')).toEqual(['create', '/a', 'two words', 'world:anyone:r']);
    expect(tokenize("set /a 'x y'")).toEqual(['set', '/a', 'x y']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('option parsing (commons-cli style)', () => {
  it('accepts flags anywhere, values attached or separate, grouped flags', () => {
    const p = parseFlags(['set', '-s', '/a', '-v', '3', 'data'], { flags: 's', values: 'v' });
    expect(p.args).toEqual(['set', '/a', 'data']);
    expect(p.has.has('s')).toBe(true);
    expect(p.value.get('v')).toBe('3');
    expect(parseFlags(['ls', '-sw', '/'], { flags: 'swR' }).has).toEqual(new Set(['s', 'w']));
    expect(parseFlags(['set', '-v-1', '/a', 'x'], { values: 'v' }).value.get('v')).toBe('-1');
    expect(parseFlags(['delete', '-v', '-1', '/a'], { values: 'v' }).value.get('v')).toBe('-1');
  });

  it('reports unknown options and missing values as commons-cli does', () => {
    expect(() => parseFlags(['ls', '-x', '/'], { flags: 's' })).toThrow(new CliError('Unrecognized option: -x'));
    expect(() => parseFlags(['set', '/a', 'x', '-v'], { values: 'v' })).toThrow('Missing argument for option: v');
  });

  it('parses zkcli options before the command', () => {
    expect(parseArgs(['-server', 'h:1/app', '-timeout', '500', '--json', 'ls', '-R', '/'])).toMatchObject({
      server: 'h:1/app',
      timeoutMs: 500,
      json: true,
      command: ['ls', '-R', '/'],
    });
    expect(parseArgs([]).server).toBe('localhost:2181');
  });
});

describe("zkCli.sh's formats", () => {
  it('prints dates like java.util.Date.toString', () => {
    expect(javaDate(0)).toMatch(/^(Thu|Wed) (Jan|Dec) (01|31) \d{2}:00:00 \S+ (1970|1969)$/);
    expect(javaDate(Date.UTC(2026, 10, 25, 0, 38, 41))).toMatch(/^\w{3} Nov 2[45] \d{2}:\d{2}:41 \S+ 2026$/);
  });

  it('prints the Stat block, ACLs, ids and events', () => {
    const stat = { czxid: 0x2n, mzxid: 0xan, ctime: 0, mtime: 0, version: 2, cversion: 0, aversion: 0, ephemeralOwner: -0x8000000000000000n, dataLength: 2, numChildren: 0, pzxid: 0x2n };
    const lines = statLines(stat);
    expect(lines[0]).toBe('cZxid = 0x2');
    expect(lines[2]).toBe('mZxid = 0xa');
    expect(lines[8]).toBe('ephemeralOwner = 0x8000000000000000');
    expect(lines.slice(5).map((l) => l.split(' = ')[0])).toEqual(['cversion', 'dataVersion', 'aclVersion', 'ephemeralOwner', 'dataLength', 'numChildren']);
    expect(permString(31)).toBe('cdrwa');
    expect(permString(1 | 16)).toBe('ra');
    expect(idString({ scheme: 'digest', id: 'u:a,b%' })).toBe("'digest,'u:a%2Cb%25");
    expect(aclLines([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }])).toEqual(["'world,'anyone\n: cdrwa"]);
    expect(eventString({ type: 'NodeDataChanged', state: 'SyncConnected', path: '/a' })).toBe('WatchedEvent state:SyncConnected type:NodeDataChanged path:/a');
    expect(eventString({ type: 'None', state: 'Closed', path: null })).toBe('WatchedEvent state:Closed type:None path:null');
  });

  it('parses ACLs as AclParser does, reporting bad entries', () => {
    const warnings: string[] = [];
    expect(parseAcl('world:anyone:rw,digest:u:hash=:cdrwa,bad,ip:10.0.0.1:rx', (w) => warnings.push(w))).toEqual([
      { id: { scheme: 'world', id: 'anyone' }, perms: 3 },
      { id: { scheme: 'digest', id: 'u:hash=' }, perms: 31 },
      { id: { scheme: 'ip', id: '10.0.0.1' }, perms: 1 },
    ]);
    expect(warnings).toEqual(['bad does not have the form scheme:id:perm', 'Unknown perm type: x']);
  });
});
