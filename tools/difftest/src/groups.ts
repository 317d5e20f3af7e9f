// Server settings groups. Cases name a group; each group gets its own server pair, started when
// its first case runs. Settings are the same for both sides of a pair.

import type { ServerSettings } from './servers.js';

export const GROUPS: Record<string, ServerSettings> = {
  /** Extended types on (TTL), super digest, fast container reaper, small tickTime. */
  default: {},
  /** extendedTypesEnabled=false: TTL creates must be refused. */
  'no-extended-types': { extendedTypesEnabled: false },
  /** A small jute.maxbuffer so that just-under / just-over cases stay small. */
  'small-jute-maxbuffer': { juteMaxBuffer: 4096 },
};

export function groupSettings(name: string): ServerSettings {
  const s = GROUPS[name];
  if (!s) throw new Error(`unknown settings group ${name}`);
  return s;
}
