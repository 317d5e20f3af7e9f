// One settings object -> the zoo.cfg both servers read, plus the JVM properties ZooKeeper needs
// for the same effective settings. Pure: no files, no processes.
//
// ZooKeeper turns unknown zoo.cfg keys into `zookeeper.<key>` system properties, which is enough
// for some settings (extendedTypesEnabled, DigestAuthenticationProvider.superDigest) but not for
// those read under another name (`jute.maxbuffer`, `znode.container.checkIntervalMs`), so every
// setting is also passed to the JVM as the exact -D property ZooKeeper reads. zk-ts reads the same
// keys from zoo.cfg.

import { createHash } from 'node:crypto';

export interface ServerSettings {
  /** ms; default 500 so that session-expiry cases are quick (min/max session timeout 2x/20x). */
  tickTime?: number;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /** Extended types (TTL nodes). Default true. */
  extendedTypesEnabled?: boolean;
  /** `super:<base64(sha1("super:" + password))>`; see digestFor(). Default: super/super-secret. */
  superDigest?: string | null;
  /** ContainerManager period (ZooKeeper default 60000). Default 100 so container/TTL cases are quick. */
  containerCheckIntervalMs?: number;
  /** Frame / data size limit. Default: server default (0xfffff) -> not written. */
  juteMaxBuffer?: number;
  /** Default 0 (unlimited) — test harnesses open many connections. */
  maxClientCnxns?: number;
  /** Extra zoo.cfg lines (also passed to ZooKeeper as -Dzookeeper.<key>). */
  extraCfg?: Record<string, string>;
}

export const SUPER_USER = 'super';
export const SUPER_PASSWORD = 'super-secret';

/** The digest form ZooKeeper's DigestAuthenticationProvider compares against: user:base64(sha1(user:pass)). */
export function digestFor(user: string, password: string): string {
  const hash = createHash('sha1').update(`${user}:${password}`, 'utf8').digest('base64');
  return `${user}:${hash}`;
}

export const DEFAULT_SETTINGS: Required<Omit<ServerSettings, 'juteMaxBuffer' | 'extraCfg'>> = {
  tickTime: 500,
  minSessionTimeout: -1,
  maxSessionTimeout: -1,
  extendedTypesEnabled: true,
  superDigest: digestFor(SUPER_USER, SUPER_PASSWORD),
  containerCheckIntervalMs: 100,
  maxClientCnxns: 0,
};

/** The zoo.cfg lines both servers get (order stable). */
export function zooCfgLines(settings: ServerSettings, dataDir: string, port: number, host: string): string[] {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const lines = [
    `tickTime=${s.tickTime}`,
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    `clientPortAddress=${host}`,
    `maxClientCnxns=${s.maxClientCnxns}`,
    '4lw.commands.whitelist=*',
    'admin.enableServer=false',
    `extendedTypesEnabled=${s.extendedTypesEnabled}`,
    `znode.container.checkIntervalMs=${s.containerCheckIntervalMs}`,
  ];
  if (s.minSessionTimeout > 0) lines.push(`minSessionTimeout=${s.minSessionTimeout}`);
  if (s.maxSessionTimeout > 0) lines.push(`maxSessionTimeout=${s.maxSessionTimeout}`);
  if (s.superDigest) lines.push(`DigestAuthenticationProvider.superDigest=${s.superDigest}`);
  if (settings.juteMaxBuffer !== undefined) lines.push(`jute.maxbuffer=${settings.juteMaxBuffer}`);
  for (const [k, v] of Object.entries(settings.extraCfg ?? {})) lines.push(`${k}=${v}`);
  return lines;
}

/** JVM system properties ZooKeeper needs for the same effective settings as the zoo.cfg. */
export function zooKeeperJvmProps(settings: ServerSettings): string[] {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const props = [
    `-Dzookeeper.extendedTypesEnabled=${s.extendedTypesEnabled}`,
    `-Dznode.container.checkIntervalMs=${s.containerCheckIntervalMs}`,
    '-Dzookeeper.admin.enableServer=false',
    '-Dzookeeper.4lw.commands.whitelist=*',
  ];
  if (s.superDigest) props.push(`-Dzookeeper.DigestAuthenticationProvider.superDigest=${s.superDigest}`);
  if (settings.juteMaxBuffer !== undefined) props.push(`-Djute.maxbuffer=${settings.juteMaxBuffer}`);
  for (const [k, v] of Object.entries(settings.extraCfg ?? {})) props.push(`-Dzookeeper.${k}=${v}`);
  return props;
}

/** One member of a generated ensemble: its server.N line and client port. */
export interface EnsembleMemberSpec {
  /** server.N id, 1..255; also the content of dataDir/myid. */
  id: number;
  type: 'participant' | 'observer';
  host: string;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

export interface EnsembleLimits {
  /** Ticks a learner may take to connect and sync to the leader (zoo.cfg initLimit). */
  initLimit: number;
  /** Ticks a learner may lag (zoo.cfg syncLimit). */
  syncLimit: number;
}

/**
 * The zoo.cfg of member `self` of an ensemble (both servers read the same file): the standalone
 * lines (`zooCfgLines`) plus initLimit / syncLimit, `peerType=observer` for an observer, and one
 * `server.N=host:quorumPort:electionPort:participant|observer;host:clientPort` line per member.
 */
export function ensembleCfgLines(
  settings: ServerSettings,
  dataDir: string,
  self: EnsembleMemberSpec,
  members: readonly EnsembleMemberSpec[],
  limits: EnsembleLimits,
): string[] {
  const lines = zooCfgLines(settings, dataDir, self.clientPort, self.host);
  lines.push(`initLimit=${limits.initLimit}`, `syncLimit=${limits.syncLimit}`);
  if (self.type === 'observer') lines.push('peerType=observer');
  for (const m of members) {
    lines.push(`server.${m.id}=${m.host}:${m.quorumPort}:${m.electionPort}:${m.type};${m.host}:${m.clientPort}`);
  }
  return lines;
}
