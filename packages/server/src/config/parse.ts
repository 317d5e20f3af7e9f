import { isAbsolute, resolve } from 'node:path';
import { ConfigError, describeLocation } from './errors.js';
import {
  DEFAULT_ADMIN_SERVER_PORT, DEFAULT_ELECTION_PORT_BIND_RETRY, DEFAULT_GLOBAL_OUTSTANDING_LIMIT,
  DEFAULT_JUTE_MAX_BUFFER, DEFAULT_MAX_CLIENT_CNXNS, DEFAULT_PRE_ALLOC_SIZE_KB, DEFAULT_SNAP_COUNT,
  MAX_SERVER_ID, MAX_SERVER_ID_EXTENDED_TYPES, MIN_SNAP_RETAIN_COUNT, ZOOKEEPER_DEFAULT_TICK_TIME,
} from './defaults.js';
import {
  effectiveFourLetterWords, parseFourLetterWordWhitelist, ZOOKEEPER_DEFAULT_4LW_WHITELIST,
} from './four-letter-words.js';
import {
  DIRECT_KEYS, isUnsupportedZooKeeperKey, keyForSystemProperty, SYSTEM_PROPERTY_KEYS, UNPREFIXED_PROPERTY_KEYS,
} from './keys.js';
import { parseProperties, type PropertyEntry } from './properties.js';
import { parseJavaInt, parseServerLine } from './server-line.js';
import type { PeerType, QuorumServerConfig, ServerConfig } from './types.js';
import type { FourLetterWord } from '@zk/protocol';

export interface ParseZooCfgOptions {
  /**
   * Directory that relative paths (dataDir, dataLogDir, dynamicConfigFile) are
   * resolved against. ZooKeeper resolves them against the process's working
   * directory, not the config file's, so that is the default.
   */
  readonly baseDir?: string;
  /**
   * Environment to take JVM-style settings from: `-D<property>=<value>` words in
   * `SERVER_JVMFLAGS` and `JVMFLAGS` (the variables zkServer.sh passes to Java),
   * for the properties that have a zoo.cfg equivalent — e.g.
   * `-Djute.maxbuffer=4194304`, `-Dzookeeper.4lw.commands.whitelist=*`,
   * `-Dreadonlymode.enabled=true`. zoo.cfg wins over them, as in ZooKeeper.
   * Nothing is read from `process.env` unless it is passed here.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Name of the file the text came from, for messages and `configPath`. */
  readonly file?: string;
  /** Contents of `dataDir/myid` when that file exists. */
  readonly myid?: string;
  /** Contents of the file named by `dynamicConfigFile`, when zoo.cfg names one. */
  readonly dynamicConfig?: string;
}

export interface ParseZooCfgResult {
  readonly config: ServerConfig;
  /** Problems that do not stop the server, one sentence each, naming the key. */
  readonly warnings: string[];
}

interface Setting {
  readonly key: string;
  readonly value: string;
  /** How the key was written (e.g. with a `zookeeper.` prefix). */
  readonly writtenAs: string;
  readonly line?: number;
  readonly file?: string;
  /** Where it came from when not the file: `SERVER_JVMFLAGS` / `JVMFLAGS`. */
  readonly fromEnv?: string;
}

const INT = 'an integer';

/**
 * Parses the text of a zoo.cfg into a typed {@link ServerConfig}, following
 * ZooKeeper 3.8's QuorumPeerConfig: the same keys, defaults, derived values
 * (session timeouts from tickTime, dataLogDir from dataDir, the client address
 * from this server's `server.N` line), and the same standalone-vs-ensemble
 * decision. Stricter where ZooKeeper is silent: malformed numbers and booleans
 * in system-property keys, out-of-range ports and ids are errors; unknown keys
 * are warnings (ZooKeeper passes them on as system properties without a word).
 *
 * Reads no files (the caller passes myid and the dynamic file; see
 * `loadConfig`) and no environment beyond `options.env`; only the default
 * `baseDir` comes from `process.cwd()`. Throws {@link ConfigError}.
 */
export function parseZooCfg(text: string, options: ParseZooCfgOptions = {}): ParseZooCfgResult {
  const baseDir = options.baseDir ?? process.cwd();
  const file = options.file;
  const warnings: string[] = [];
  const warn = (s: Setting | undefined, msg: string): void => {
    warnings.push(s === undefined ? msg : `${msg} ${whereOf(s)}`.trimEnd());
  };

  // ---- collect settings: JVM flags first, then the file, later wins
  const settings = new Map<string, Setting>();
  const servers = new Map<number, { setting: Setting }>();
  const metricsProperties: Record<string, string> = {};
  let metricsSetting: Setting | undefined;
  const hierarchical: Setting[] = [];
  let adminSeen: Setting | undefined;

  // zkServer.sh runs java with "$SERVER_JVMFLAGS $JVMFLAGS" and Java keeps the last -D of a name.
  for (const variable of ['SERVER_JVMFLAGS', 'JVMFLAGS'] as const) {
    const flags = options.env?.[variable];
    if (flags === undefined) continue;
    for (const { name, value } of systemPropertiesFromFlags(flags)) {
      const key = keyForSystemProperty(name);
      if (key === undefined) continue;
      settings.set(key, { key, value, writtenAs: `-D${name}`, fromEnv: variable });
    }
  }

  const fileEntries = parseProperties(text, file);
  const seenInFile = new Map<string, PropertyEntry>();
  for (const e of fileEntries) {
    const setting: Setting = { key: e.key, value: e.value, writtenAs: e.key, line: e.line, ...(file !== undefined ? { file } : {}) };
    const previous = seenInFile.get(e.key);
    if (previous !== undefined && previous.value !== e.value) {
      warn(setting, `${e.key} is set more than once (line ${previous.line} and line ${e.line}); the last one, ${JSON.stringify(e.value)}, is used`);
    }
    seenInFile.set(e.key, e);

    if (e.key.startsWith('server.')) {
      const id = parseServerId(setting);
      servers.set(id, { setting });
      continue;
    }
    if (e.key.startsWith('group.') || e.key.startsWith('weight.') || e.key === 'group' || e.key === 'weight') {
      hierarchical.push(setting);
      continue;
    }
    if (e.key.startsWith('metricsProvider.')) {
      metricsSetting ??= setting;
      if (e.key !== 'metricsProvider.className') metricsProperties[e.key.slice('metricsProvider.'.length)] = e.value;
      settings.set(e.key, setting);
      continue;
    }
    const key = canonicalKey(e.key);
    if (key !== undefined) {
      const other = settings.get(key);
      if (other !== undefined && other.fromEnv === undefined && other.writtenAs !== e.key && other.value !== e.value) {
        warn(setting, `${key} is set both as ${other.writtenAs} and as ${e.key}; the later one, ${JSON.stringify(e.value)}, is used`);
      }
      settings.set(key, { ...setting, key });
      if (key.startsWith('admin.')) adminSeen ??= setting;
      continue;
    }
    if (e.key === '') {
      warn(setting, `a line with an empty key (value ${JSON.stringify(e.value)}) ignored`);
    } else if (isUnsupportedZooKeeperKey(e.key)) {
      warn(setting, `${e.key} is a ZooKeeper option zk-ts does not support; ignored`);
    } else if (e.key.startsWith('zookeeper.') && DIRECT_KEYS.has(e.key.slice('zookeeper.'.length))) {
      const plain = e.key.slice('zookeeper.'.length);
      warn(setting, `unknown key ${e.key} ignored; did you mean ${plain}? (ZooKeeper does not read it with a zookeeper. prefix either)`);
    } else {
      warn(setting, `unknown key ${e.key} ignored (ZooKeeper would pass it on as the system property zookeeper.${e.key})`);
    }
  }

  // ---- typed accessors
  const get = (key: string): Setting | undefined => settings.get(key);
  const fail = (s: Setting, expected: string, problem = 'invalid value'): never => {
    throw new ConfigError(problem, {
      key: s.writtenAs, value: s.value, expected,
      ...(s.line !== undefined ? { line: s.line } : {}),
      ...(s.file !== undefined ? { file: s.file } : s.fromEnv !== undefined ? { file: s.fromEnv } : {}),
    });
  };
  const int = (key: string, def: number, check: (n: number) => boolean = () => true, expected = INT): number => {
    const s = get(key);
    if (s === undefined) return def;
    const n = parseJavaInt(s.value);
    if (n === undefined || !check(n)) return fail(s, expected);
    return n;
  };
  const bool = (key: string, def: boolean): boolean => {
    const s = get(key);
    if (s === undefined) return def;
    const v = s.value.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    return fail(s, '"true" or "false"');
  };
  const yesNo = (key: string, def: boolean): boolean => {
    const s = get(key);
    if (s === undefined) return def;
    const v = s.value.toLowerCase();
    if (v === 'yes' || v === 'true') return true;
    if (v === 'no' || v === 'false') return false;
    return fail(s, '"yes" or "no"');
  };
  const str = (key: string): string | undefined => get(key)?.value;
  const port = (key: string): number | undefined => {
    const s = get(key);
    if (s === undefined) return undefined;
    return int(key, 0, (n) => n >= 1 && n <= 65535, 'a port number 1..65535');
  };
  const path = (key: string): string | undefined => {
    const s = get(key);
    if (s === undefined) return undefined;
    if (s.value === '') return fail(s, 'a directory path');
    if (!isAbsolute(s.value) && !s.value.startsWith('./')) {
      warn(s, `${s.writtenAs}=${s.value} is a relative path; it is resolved against ${baseDir} (write ./${s.value} to show that is intended)`);
    }
    return resolve(baseDir, s.value);
  };

  // ---- basics
  const tickTime = int('tickTime', ZOOKEEPER_DEFAULT_TICK_TIME, (n) => n > 0, 'a positive integer (milliseconds)');
  const dataDir = path('dataDir');
  if (dataDir === undefined) {
    throw new ConfigError('dataDir is not set', {
      ...(file !== undefined ? { file } : {}), expected: 'a line such as dataDir=/var/lib/zookeeper',
    });
  }
  const dataLogDir = path('dataLogDir') ?? dataDir;

  const staticClientPort = port('clientPort');
  const staticClientAddressSetting = get('clientPortAddress');
  const staticClientAddress = staticClientAddressSetting === undefined ? undefined : hostOf(staticClientAddressSetting, fail);
  if (staticClientAddressSetting !== undefined && staticClientPort === undefined) {
    fail(staticClientAddressSetting, 'clientPort=<port> as well', 'set without clientPort');
  }
  const secureClientPort = port('secureClientPort');
  const secureAddressSetting = get('secureClientPortAddress');
  const secureClientPortAddress = secureAddressSetting === undefined ? undefined : hostOf(secureAddressSetting, fail);
  if (secureAddressSetting !== undefined && secureClientPort === undefined) {
    fail(secureAddressSetting, 'secureClientPort=<port> as well', 'set without secureClientPort');
  }
  if (secureClientPort !== undefined) {
    warn(get('secureClientPort'), `secureClientPort=${secureClientPort} ignored: zk-ts has no TLS client listener yet`);
  }
  const observerMasterPort = port('observerMasterPort');

  const maxClientCnxns = int('maxClientCnxns', DEFAULT_MAX_CLIENT_CNXNS, (n) => n >= 0, 'an integer >= 0 (0 = no limit)');
  const clientPortListenBacklog = int('clientPortListenBacklog', -1, (n) => n === -1 || n > 0, '-1 (default) or a positive integer');
  const sessionTimeout = (key: string, factor: number): number => {
    const v = int(key, -1, (n) => n === -1 || n > 0, '-1 (derive from tickTime) or a positive integer (milliseconds)');
    return v === -1 ? factor * tickTime : v;
  };
  const minSessionTimeout = sessionTimeout('minSessionTimeout', 2);
  const maxSessionTimeout = sessionTimeout('maxSessionTimeout', 20);
  if (minSessionTimeout > maxSessionTimeout) {
    throw new ConfigError('minSessionTimeout must not be larger than maxSessionTimeout', {
      key: 'minSessionTimeout', value: String(minSessionTimeout),
      expected: `at most maxSessionTimeout (${maxSessionTimeout})`,
      ...locationOf(get('minSessionTimeout') ?? get('maxSessionTimeout')),
    });
  }

  // ---- ensemble settings
  const ticks = 'an integer >= 0 (ticks)';
  const initLimit = int('initLimit', 0, (n) => n >= 0, ticks);
  const syncLimit = int('syncLimit', 0, (n) => n >= 0, ticks);
  const connectToLearnerMasterLimit = int('connectToLearnerMasterLimit', 0, (n) => n >= 0, ticks) || initLimit;
  int('electionAlg', 3, (n) => n === 3, '3 (fast leader election over TCP; the only one since ZooKeeper 3.6)');
  const quorumListenOnAllIPs = bool('quorumListenOnAllIPs', false);
  const syncEnabled = bool('syncEnabled', true);
  const standaloneEnabled = bool('standaloneEnabled', true);
  const reconfigEnabled = bool('reconfigEnabled', false);
  const localSessionsEnabled = bool('localSessionsEnabled', false);
  const localSessionsUpgradingEnabled = bool('localSessionsUpgradingEnabled', false);
  const multiAddressEnabled = bool('multiAddress.enabled', false);
  const leaderServes = yesNo('leaderServes', true);
  let electionPortBindRetry = int('electionPortBindRetry', DEFAULT_ELECTION_PORT_BIND_RETRY);
  if (electionPortBindRetry < 0) {
    warn(get('electionPortBindRetry'), `electionPortBindRetry=${electionPortBindRetry} is negative; using the default ${DEFAULT_ELECTION_PORT_BIND_RETRY} (0 means retry forever)`);
    electionPortBindRetry = DEFAULT_ELECTION_PORT_BIND_RETRY;
  }
  let peerType: PeerType = 'participant';
  const peerTypeSetting = get('peerType');
  if (peerTypeSetting !== undefined) {
    const v = peerTypeSetting.value.toLowerCase();
    if (v !== 'participant' && v !== 'observer') fail(peerTypeSetting, '"participant" or "observer"');
    peerType = v as PeerType;
  }

  // ---- storage, limits, features
  let snapCount = int('snapCount', DEFAULT_SNAP_COUNT);
  if (snapCount < 2) {
    warn(get('snapCount'), `snapCount=${snapCount} is below 2; using 2`);
    snapCount = 2;
  }
  const preAllocSizeKb = int('preAllocSize', DEFAULT_PRE_ALLOC_SIZE_KB, (n) => n > 0, 'a positive integer (KiB)');
  const forceSync = yesNo('forceSync', true);
  if (!forceSync) warn(get('forceSync'), 'forceSync=no: acknowledged writes can be lost on power failure');
  let snapRetainCount = int('autopurge.snapRetainCount', MIN_SNAP_RETAIN_COUNT);
  if (snapRetainCount < MIN_SNAP_RETAIN_COUNT) {
    warn(get('autopurge.snapRetainCount'), `autopurge.snapRetainCount=${snapRetainCount} is below the minimum ${MIN_SNAP_RETAIN_COUNT}; using ${MIN_SNAP_RETAIN_COUNT}`);
    snapRetainCount = MIN_SNAP_RETAIN_COUNT;
  }
  const purgeIntervalHours = int('autopurge.purgeInterval', 0, (n) => n >= 0, '0 (off) or a positive integer (hours)');
  const globalOutstandingLimit = int('globalOutstandingLimit', DEFAULT_GLOBAL_OUTSTANDING_LIMIT, (n) => n > 0, 'a positive integer');
  const juteMaxBuffer = juteMaxBufferOf(get('jute.maxbuffer'), fail);
  const extendedTypesEnabled = bool('extendedTypesEnabled', false);
  const readOnlyModeEnabled = bool('readonlymode.enabled', false);
  const enforceQuota = bool('enforceQuota', false);
  const containers = {
    checkIntervalMs: int('znode.container.checkIntervalMs', 60_000, (n) => n > 0, 'a positive number of ms'),
    maxPerMinute: int('znode.container.maxPerMinute', 10_000, (n) => n > 0, 'a positive integer'),
    maxNeverUsedIntervalMs: int('znode.container.maxNeverUsedIntervalMs', 0, (n) => n >= 0, '0 (never) or a number of ms'),
  };
  const digestEnabled = bool('digest.enabled', true);
  const skipACL = yesNo('skipACL', false);
  if (skipACL) warn(get('skipACL'), 'skipACL=yes: every client can read and change every znode');
  const superDigestSetting = get('DigestAuthenticationProvider.superDigest');
  if (superDigestSetting !== undefined && !/^[^:\s]+:\S+$/.test(superDigestSetting.value)) {
    fail(superDigestSetting, '"super:<base64 digest>" as printed by DigestAuthenticationProvider');
  }
  const superDigest = superDigestSetting?.value;

  let configured: readonly FourLetterWord[] = ZOOKEEPER_DEFAULT_4LW_WHITELIST;
  const whitelistSetting = get('4lw.commands.whitelist');
  if (whitelistSetting !== undefined) {
    const parsed = parseFourLetterWordWhitelist(whitelistSetting.value);
    for (const word of parsed.unknown) {
      warn(whitelistSetting, `${whitelistSetting.writtenAs} lists "${word}", which is not a four-letter word ZooKeeper knows; ignored`);
    }
    configured = parsed.words;
  }
  const fourLetterWordWhitelist = effectiveFourLetterWords(configured, readOnlyModeEnabled);

  const admin = {
    enableServer: bool('admin.enableServer', true),
    serverAddress: str('admin.serverAddress') ?? '0.0.0.0',
    serverPort: port('admin.serverPort') ?? DEFAULT_ADMIN_SERVER_PORT,
  };
  if (adminSeen !== undefined && admin.enableServer) {
    warn(adminSeen, `admin.* settings are parsed but zk-ts runs no AdminServer (nothing listens on ${admin.serverAddress}:${admin.serverPort}); use the four-letter words on the client port`);
  }
  const metricsClassName = str('metricsProvider.className');
  if (metricsSetting !== undefined) {
    warn(metricsSetting, 'metricsProvider.* settings are parsed but zk-ts starts no metrics provider; use the mntr four-letter word');
  }
  if (hierarchical.length > 0) {
    const h = hierarchical[0]!;
    throw new ConfigError('hierarchical quorums (group.N / weight.N) are not supported by zk-ts', {
      key: h.key, value: h.value, expected: 'majority quorums: server.N lines only', ...locationOf(h),
    });
  }

  // ---- the ensemble: static lines or a dynamic config file
  const dynamicConfigFile = path('dynamicConfigFile');
  let dynamicConfigVersion = hexVersionOf(get('version'), fail);
  if (dynamicConfigFile !== undefined) {
    for (const { setting } of servers.values()) {
      throw new ConfigError('must be in the dynamic config file when dynamicConfigFile is set', {
        key: setting.key, expected: `server.N lines only in ${dynamicConfigFile}`, ...locationOf(setting),
      });
    }
    if (options.dynamicConfig === undefined) {
      throw new ConfigError('names a file that was not read', {
        key: 'dynamicConfigFile', value: dynamicConfigFile, expected: 'the dynamic config file to exist and be readable',
        ...locationOf(get('dynamicConfigFile')),
      });
    }
    for (const e of parseProperties(options.dynamicConfig, dynamicConfigFile)) {
      const s: Setting = { key: e.key, value: e.value, writtenAs: e.key, line: e.line, file: dynamicConfigFile };
      if (e.key.startsWith('server.')) {
        servers.set(parseServerId(s), { setting: s });
      } else if (e.key === 'version') {
        dynamicConfigVersion = hexVersionOf(s, fail);
      } else if (e.key.startsWith('group') || e.key.startsWith('weight')) {
        throw new ConfigError('hierarchical quorums (group.N / weight.N) are not supported by zk-ts', {
          key: e.key, value: e.value, expected: 'majority quorums: server.N lines only', ...locationOf(s),
        });
      } else {
        fail(s, 'only server.N and version lines in a dynamic config file', 'not allowed in a dynamic config file');
      }
    }
  }

  const serverList: QuorumServerConfig[] = [...servers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, { setting }]) => parseServerLine(id, setting.value, {
      key: setting.key, multiAddressEnabled, ...locationOf(setting),
    }));
  const participants = serverList.filter((s) => s.type === 'participant');
  const observers = serverList.filter((s) => s.type === 'observer');

  // Rules from QuorumPeerConfig.parseDynamicConfig.
  if (participants.length === 0) {
    if (!standaloneEnabled) {
      throw new ConfigError('standaloneEnabled=false needs at least one participant', {
        key: 'standaloneEnabled', value: 'false', expected: 'server.N lines (or standaloneEnabled=true)', ...locationOf(get('standaloneEnabled')),
      });
    }
    if (observers.length > 0) {
      throw new ConfigError('observers without participants is not a valid ensemble', {
        key: `server.${observers[0]!.id}`, expected: 'at least one participant server', ...locationOf(servers.get(observers[0]!.id)?.setting),
      });
    }
  } else if (participants.length === 1 && standaloneEnabled) {
    if (observers.length > 0) {
      throw new ConfigError('observers without a quorum is not a valid ensemble', {
        key: `server.${observers[0]!.id}`, expected: 'at least two participants, or standaloneEnabled=false', ...locationOf(servers.get(observers[0]!.id)?.setting),
      });
    }
    warn(servers.get(participants[0]!.id)?.setting, `only one server (server.${participants[0]!.id}) is listed; running standalone as ZooKeeper does (set standaloneEnabled=false for a one-member ensemble)`);
  } else if (participants.length <= 2) {
    warnings.push(`the ensemble has ${participants.length} participant(s): no server failure will be tolerated; use at least 3`);
  } else if (participants.length % 2 === 0) {
    warnings.push(`the ensemble has ${participants.length} participants: an even number tolerates no more failures than ${participants.length - 1}; consider an odd number`);
  }
  const distributed = !standaloneEnabled || participants.length > 1;

  // ---- myid (QuorumPeerConfig.setupMyId): read whenever the file exists
  let serverId: number | undefined;
  if (options.myid !== undefined) {
    const firstLine = (options.myid.split(/\r?\n/)[0] ?? '').trim();
    const myidFile = resolve(dataDir, 'myid');
    const n = parseJavaInt(firstLine);
    const max = extendedTypesEnabled ? MAX_SERVER_ID_EXTENDED_TYPES : MAX_SERVER_ID;
    if (n === undefined || n < 1 || n > max) {
      throw new ConfigError('invalid server id', {
        key: 'myid', value: firstLine, file: myidFile,
        expected: `a single integer 1..${max}${extendedTypesEnabled ? ' (254 at most with extendedTypesEnabled)' : ''}`,
      });
    }
    serverId = n;
  }
  const me = serverId === undefined ? undefined : serverList.find((s) => s.id === serverId);

  // ---- which address clients use (QuorumPeerConfig.setupClientPort)
  let clientPort = staticClientPort;
  let clientPortAddress = staticClientAddress ?? '0.0.0.0';
  if (me?.clientPort !== undefined) {
    const lineAddress = me.clientPortAddress ?? '0.0.0.0';
    if (staticClientPort !== undefined) {
      const staticIsWildcard = staticClientAddress === undefined || isWildcard(staticClientAddress);
      const conflict = staticIsWildcard
        ? staticClientPort !== me.clientPort
        : staticClientPort !== me.clientPort || staticClientAddress !== lineAddress;
      if (conflict) {
        const s = servers.get(me.id)!.setting;
        throw new ConfigError(`client address for this server (myid ${me.id}) differs between clientPort/clientPortAddress (${clientPortAddress}:${staticClientPort}) and`, {
          key: s.key, value: s.value, expected: 'the same client address in both places, or only one of them', ...locationOf(s),
        });
      }
    }
    clientPort = me.clientPort;
    clientPortAddress = lineAddress;
  }

  // ---- role (QuorumPeerConfig.setupPeerType)
  if (me !== undefined && me.type !== peerType) {
    if (peerTypeSetting !== undefined) {
      warn(peerTypeSetting, `peerType=${peerType} does not match server.${me.id}, which says ${me.type}; using ${me.type}`);
    }
    peerType = me.type;
  }

  // ---- QuorumPeerConfig.checkValidity, plus what zk-ts needs to run
  if (distributed) {
    if (initLimit === 0) {
      throw new ConfigError('initLimit is not set', { ...(file !== undefined ? { file } : {}), key: 'initLimit', expected: 'initLimit=<ticks> (e.g. 10) for an ensemble' });
    }
    if (syncLimit === 0) {
      throw new ConfigError('syncLimit is not set', { ...(file !== undefined ? { file } : {}), key: 'syncLimit', expected: 'syncLimit=<ticks> (e.g. 5) for an ensemble' });
    }
    if (serverId === undefined) {
      throw new ConfigError(`file ${resolve(dataDir, 'myid')} is missing; an ensemble member needs it`, {
        key: 'myid', expected: `it to hold this server's id, one of ${serverList.map((s) => s.id).join(', ')}`,
      });
    }
    if (me === undefined) {
      throw new ConfigError('this server is not in the server list', {
        key: 'myid', value: String(serverId), file: resolve(dataDir, 'myid'),
        expected: `one of the server ids in the config (${serverList.map((s) => s.id).join(', ')})`,
      });
    }
  }
  if (clientPort === undefined) {
    throw new ConfigError('clientPort is not set', {
      ...(file !== undefined ? { file } : {}),
      expected: distributed
        ? `clientPort=<port>, or ";<port>" at the end of server.${serverId ?? 'N'}`
        : 'a line such as clientPort=2181',
    });
  }

  const config: ServerConfig = {
    ...(file !== undefined ? { configPath: resolve(baseDir, file) } : {}),
    tickTime,
    dataDir,
    dataLogDir,
    clientPort,
    clientPortAddress,
    ...(secureClientPort !== undefined ? { secureClientPort } : {}),
    ...(secureClientPortAddress !== undefined ? { secureClientPortAddress } : {}),
    maxClientCnxns,
    clientPortListenBacklog,
    minSessionTimeout,
    maxSessionTimeout,
    initLimit,
    syncLimit,
    connectToLearnerMasterLimit,
    electionAlg: 3,
    servers: serverList,
    ...(serverId !== undefined ? { serverId } : {}),
    peerType,
    distributed,
    standaloneEnabled,
    reconfigEnabled,
    ...(dynamicConfigFile !== undefined ? { dynamicConfigFile } : {}),
    ...(dynamicConfigVersion !== undefined ? { dynamicConfigVersion } : {}),
    ...(observerMasterPort !== undefined ? { observerMasterPort } : {}),
    quorumListenOnAllIPs,
    electionPortBindRetry,
    leaderServes,
    syncEnabled,
    localSessionsEnabled,
    localSessionsUpgradingEnabled,
    multiAddressEnabled,
    fourLetterWordWhitelist,
    snapCount,
    preAllocSizeKb,
    forceSync,
    autopurge: { snapRetainCount, purgeIntervalHours },
    globalOutstandingLimit,
    juteMaxBuffer,
    extendedTypesEnabled,
    ...(superDigest !== undefined ? { superDigest } : {}),
    readOnlyModeEnabled,
    enforceQuota,
    containers,
    digestEnabled,
    skipACL,
    admin,
    metricsProvider: {
      ...(metricsClassName !== undefined ? { className: metricsClassName } : {}),
      properties: metricsProperties,
    },
  };
  return { config, warnings };

  // ---- helpers that need the closure
  function parseServerId(s: Setting): number {
    const idText = s.key.slice('server.'.length);
    const max = MAX_SERVER_ID;
    const id = /^\d+$/.test(idText) ? Number(idText) : NaN;
    if (!Number.isInteger(id) || id < 1 || id > max) {
      throw new ConfigError('invalid server id in key', {
        key: s.key, value: idText, expected: `server.N with N an integer 1..${max}`, ...locationOf(s),
      });
    }
    return id;
  }
}

/** A key as zk-ts knows it, or undefined. Folds the `zookeeper.` prefix of system-property keys. */
function canonicalKey(key: string): string | undefined {
  if (DIRECT_KEYS.has(key) || SYSTEM_PROPERTY_KEYS.has(key) || UNPREFIXED_PROPERTY_KEYS.has(key)) return key;
  if (key.startsWith('zookeeper.')) {
    const k = key.slice('zookeeper.'.length);
    if (SYSTEM_PROPERTY_KEYS.has(k) || UNPREFIXED_PROPERTY_KEYS.has(k)) return k;
  }
  return undefined;
}

function whereOf(s: Setting): string {
  if (s.fromEnv !== undefined) return `(from ${s.fromEnv})`;
  const where = describeLocation(s.file, s.line);
  return where === '' ? '' : `(${where})`;
}

function locationOf(s: Setting | undefined): { line?: number; file?: string } {
  if (s === undefined) return {};
  if (s.fromEnv !== undefined) return { file: s.fromEnv };
  return { ...(s.line !== undefined ? { line: s.line } : {}), ...(s.file !== undefined ? { file: s.file } : {}) };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '0:0:0:0:0:0:0:0';
}

function hostOf(s: Setting, fail: (s: Setting, expected: string) => never): string {
  const v = s.value.startsWith('[') && s.value.endsWith(']') ? s.value.slice(1, -1) : s.value;
  if (v === '' || /\s/.test(v)) return fail(s, 'a host name or IP address');
  return v;
}

function juteMaxBufferOf(s: Setting | undefined, fail: (s: Setting, expected: string) => never): number {
  if (s === undefined) return DEFAULT_JUTE_MAX_BUFFER;
  const v = s.value;
  const n = /^0[xX][0-9a-fA-F]+$/.test(v) ? parseInt(v.slice(2), 16) : parseJavaInt(v);
  if (n === undefined || !Number.isSafeInteger(n) || n <= 0 || n > 0x7fffffff) {
    return fail(s, 'a positive number of bytes, decimal or 0x hex (default 0xfffff)');
  }
  return n;
}

function hexVersionOf(s: Setting | undefined, fail: (s: Setting, expected: string) => never): string | undefined {
  if (s === undefined) return undefined;
  if (!/^[0-9a-fA-F]{1,16}$/.test(s.value)) return fail(s, 'a hexadecimal configuration version');
  return s.value.toLowerCase();
}

/**
 * `-Dname=value` words of a JVM flags string. Values may be wrapped in single
 * or double quotes; other flags (`-Xmx…`, `-XX:…`) are skipped.
 */
export function systemPropertiesFromFlags(flags: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  const words = flags.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  for (const raw of words) {
    const word = raw.replace(/"([^"]*)"|'([^']*)'/g, (_m, a: string | undefined, b: string | undefined) => a ?? b ?? '');
    if (!word.startsWith('-D')) continue;
    const eq = word.indexOf('=');
    if (eq < 0) out.push({ name: word.slice(2), value: '' });
    else out.push({ name: word.slice(2, eq), value: word.slice(eq + 1).trim() });
  }
  return out;
}
