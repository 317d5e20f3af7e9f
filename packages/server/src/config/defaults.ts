import { EMBEDDED_DEFAULT_4LW_WHITELIST } from './four-letter-words.js';
import type { ServerConfig } from './types.js';

/**
 * ZooKeeper's tick when zoo.cfg has no `tickTime` (`ZooKeeperServer.DEFAULT_TICK_TIME`).
 * Note that ZooKeeper's own `zoo_sample.cfg` sets 2000, which is what most
 * deployments run with; we follow the Java code for a file without the key.
 */
export const ZOOKEEPER_DEFAULT_TICK_TIME = 3000;
/** The tick for the no-config-file defaults (as in zoo_sample.cfg). */
export const EMBEDDED_DEFAULT_TICK_TIME = 2000;
export const DEFAULT_CLIENT_PORT = 2181;
export const DEFAULT_MAX_CLIENT_CNXNS = 60;
export const DEFAULT_SNAP_COUNT = 100_000;
/** KiB; 64 MiB blocks. */
export const DEFAULT_PRE_ALLOC_SIZE_KB = 65_536;
export const DEFAULT_GLOBAL_OUTSTANDING_LIMIT = 1000;
export const MIN_SNAP_RETAIN_COUNT = 3;
export const DEFAULT_JUTE_MAX_BUFFER = 0xfffff;
export const DEFAULT_ELECTION_PORT_BIND_RETRY = 3;
export const DEFAULT_ADMIN_SERVER_PORT = 8080;
/** Largest server id; ZooKeeper's admin guide asks for 1..255. */
export const MAX_SERVER_ID = 255;
/** With extendedTypesEnabled the top byte of an ephemeral owner marks TTL nodes, so ids stop at 254. */
export const MAX_SERVER_ID_EXTENDED_TYPES = 254;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The configuration `zkserver start` uses when given no zoo.cfg: a standalone
 * server on 127.0.0.1:2181 keeping its data in `./data` (relative to the
 * working directory at the time the server starts), tickTime 2000, and a
 * four-letter-word whitelist of `srvr,stat,ruok,conf,envi,cons,mntr,wchs,isro`
 * so status and monitoring tools work out of the box. A zoo.cfg without
 * `4lw.commands.whitelist` gets ZooKeeper 3.8's default instead: `srvr` only.
 * Everything else is ZooKeeper's default. Deeply frozen; spread it to change a
 * field: `{ ...DEFAULT_CONFIG, clientPort: 0 }`.
 */
export const DEFAULT_CONFIG: ServerConfig = deepFreeze({
  tickTime: EMBEDDED_DEFAULT_TICK_TIME,
  dataDir: './data',
  dataLogDir: './data',
  clientPort: DEFAULT_CLIENT_PORT,
  clientPortAddress: '127.0.0.1',
  maxClientCnxns: DEFAULT_MAX_CLIENT_CNXNS,
  clientPortListenBacklog: -1,
  minSessionTimeout: 2 * EMBEDDED_DEFAULT_TICK_TIME,
  maxSessionTimeout: 20 * EMBEDDED_DEFAULT_TICK_TIME,
  initLimit: 0,
  syncLimit: 0,
  connectToLearnerMasterLimit: 0,
  electionAlg: 3,
  servers: [],
  peerType: 'participant',
  distributed: false,
  standaloneEnabled: true,
  reconfigEnabled: false,
  quorumListenOnAllIPs: false,
  electionPortBindRetry: DEFAULT_ELECTION_PORT_BIND_RETRY,
  leaderServes: true,
  syncEnabled: true,
  localSessionsEnabled: false,
  localSessionsUpgradingEnabled: false,
  multiAddressEnabled: false,
  fourLetterWordWhitelist: [...EMBEDDED_DEFAULT_4LW_WHITELIST].sort(),
  snapCount: DEFAULT_SNAP_COUNT,
  preAllocSizeKb: DEFAULT_PRE_ALLOC_SIZE_KB,
  forceSync: true,
  autopurge: { snapRetainCount: MIN_SNAP_RETAIN_COUNT, purgeIntervalHours: 0 },
  globalOutstandingLimit: DEFAULT_GLOBAL_OUTSTANDING_LIMIT,
  juteMaxBuffer: DEFAULT_JUTE_MAX_BUFFER,
  extendedTypesEnabled: false,
  readOnlyModeEnabled: false,
  enforceQuota: false,
  containers: { checkIntervalMs: 60_000, maxPerMinute: 10_000, maxNeverUsedIntervalMs: 0 },
  digestEnabled: true,
  skipACL: false,
  admin: { enableServer: false, serverAddress: '0.0.0.0', serverPort: DEFAULT_ADMIN_SERVER_PORT },
  metricsProvider: { properties: {} },
} satisfies ServerConfig);
