// Server settings groups. Cases name a group; each group gets its own server pair, started when
// its first case runs. Settings are the same for both sides of a pair.

import type { ServerSettings } from '@zk/testkit';

export const GROUPS: Record<string, ServerSettings> = {
  /** Extended types on (TTL), super digest, fast container reaper, small tickTime. */
  default: {},
  /** extendedTypesEnabled=false: TTL creates must be refused. */
  'no-extended-types': { extendedTypesEnabled: false },
  /** A small jute.maxbuffer so that just-under / just-over cases stay small. */
  'small-jute-maxbuffer': { juteMaxBuffer: 4096 },
  /** At most 3 connections per client address (the runner's control session is one of them). */
  'max-client-cnxns-3': { maxClientCnxns: 3 },
  /** Explicit session timeout bounds. */
  'session-bounds': { minSessionTimeout: 3000, maxSessionTimeout: 6000 },
  /** No super digest configured. */
  'no-super': { superDigest: null },
};

export function groupSettings(name: string): ServerSettings {
  const s = GROUPS[name];
  if (!s) throw new Error(`unknown settings group ${name}`);
  return s;
}
