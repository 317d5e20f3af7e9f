// Text formats zkCli.sh prints: the Stat block, Java's Date.toString, ACLs, watch events, lists.

import type { ACL, Id, Stat, WatchedEvent } from '@zk/client';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function zoneName(d: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
    if (part !== undefined) return part.value;
  } catch {
    // fall through
  }
  return 'UTC';
}

/** java.util.Date.toString(): "Wed Nov 25 00:38:41 UTC 2026" (local time zone). */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zoneName(d)} ${d.getFullYear()}`;
}

/** Long.toHexString: two's complement for negative values. */
export function hexLong(v: bigint): string {
  return (v < 0n ? v + (1n << 64n) : v).toString(16);
}

/** StatPrinter.print. */
export function statLines(stat: Stat): string[] {
  return [
    `cZxid = 0x${hexLong(stat.czxid)}`,
    `ctime = ${javaDate(stat.ctime)}`,
    `mZxid = 0x${hexLong(stat.mzxid)}`,
    `mtime = ${javaDate(stat.mtime)}`,
    `pZxid = 0x${hexLong(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = 0x${hexLong(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ];
}

/** ZKUtil.getPermString: the letters in c d r w a order. */
export function permString(perms: number): string {
  let s = '';
  if (perms & 4) s += 'c';
  if (perms & 8) s += 'd';
  if (perms & 1) s += 'r';
  if (perms & 2) s += 'w';
  if (perms & 16) s += 'a';
  return s;
}

/** jute's CSV string form (Utils.toCSVString), as Id.toString prints each field. */
function csv(s: string): string {
  let out = "'";
  for (const ch of s) {
    switch (ch) {
      case '\0':
        out += '%00';
        break;
      case '\n':
        out += '%0A';
        break;
      case '\r':
        out += '%0D';
        break;
      case ',':
        out += '%2C';
        break;
      case '}':
        out += '%7D';
        break;
      case '%':
        out += '%25';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** Id.toString(): "'world,'anyone". */
export function idString(id: Id): string {
  return `${csv(id.scheme)},${csv(id.id)}`;
}

/** GetAclCommand's lines for one ACL: "'world,'anyone" then ": cdrwa". */
export function aclLines(acl: readonly ACL[]): string[] {
  return acl.map((a) => `${idString(a.id)}\n: ${permString(a.perms)}`);
}

/** WatchedEvent.toString(). */
export function eventString(e: WatchedEvent): string {
  return `WatchedEvent state:${e.state} type:${e.type} path:${e.path ?? 'null'}`;
}

/** Java's List.toString: "[a, b]". */
export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/** Stat as JSON (zxids and the owner as 0x hex strings). */
export function statJson(stat: Stat): Record<string, string | number> {
  return {
    czxid: `0x${hexLong(stat.czxid)}`,
    mzxid: `0x${hexLong(stat.mzxid)}`,
    pzxid: `0x${hexLong(stat.pzxid)}`,
    ctime: stat.ctime,
    mtime: stat.mtime,
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: `0x${hexLong(stat.ephemeralOwner)}`,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

export function aclJson(acl: readonly ACL[]): { scheme: string; id: string; perms: string }[] {
  return acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: permString(a.perms) }));
}
