// AclParser: "scheme:id:perms[,scheme:id:perms...]"; malformed entries are reported and skipped.

import type { ACL } from '@zk/client';

export function parseAcl(text: string, warn: (line: string) => void): ACL[] {
  const out: ACL[] = [];
  for (const a of text.split(',')) {
    const first = a.indexOf(':');
    const last = a.lastIndexOf(':');
    if (first === -1 || last === -1 || first === last) {
      warn(`${a} does not have the form scheme:id:perm`);
      continue;
    }
    out.push({ id: { scheme: a.slice(0, first), id: a.slice(first + 1, last) }, perms: parsePerms(a.slice(last + 1), warn) });
  }
  return out;
}

function parsePerms(s: string, warn: (line: string) => void): number {
  let perms = 0;
  for (const ch of s) {
    switch (ch) {
      case 'r':
        perms |= 1;
        break;
      case 'w':
        perms |= 2;
        break;
      case 'c':
        perms |= 4;
        break;
      case 'd':
        perms |= 8;
        break;
      case 'a':
        perms |= 16;
        break;
      default:
        warn(`Unknown perm type: ${ch}`);
    }
  }
  return perms;
}
