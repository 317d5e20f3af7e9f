import type { FourLetterWord } from '@zk/protocol';

/** A voting member or a non-voting observer (`server.N=…:participant|observer`, `peerType`). */
export type PeerType = 'participant' | 'observer';

/** One `host:quorumPort:electionPort` of a `server.N` line. */
export interface QuorumPeerAddress {
  /** Host name or IP literal, without IPv6 brackets. */
  readonly host: string;
  /** Port followers and observers connect to the leader on (ZooKeeper's 2888). */
  readonly quorumPort: number;
  /** Port for leader election (ZooKeeper's 3888). */
  readonly electionPort: number;
}

/**
 * One `server.N=host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]`.
 * With `multiAddress.enabled=true`, several `|`-separated addresses may be given;
 * `host`/`quorumPort`/`electionPort` repeat the first of them.
 */
export interface QuorumServerConfig extends QuorumPeerAddress {
  /** N in server.N: 1..255 (1..254 with extendedTypesEnabled). */
  readonly id: number;
  readonly type: PeerType;
  /** Every address given, in order; length 1 unless multi-address is used. */
  readonly addresses: readonly QuorumPeerAddress[];
  /** The client port after `;`, when given. */
  readonly clientPort?: number;
  /** The client host after `;` (`0.0.0.0` when only a port was given). */
  readonly clientPortAddress?: string;
}

/**
 * A typed zoo.cfg. Times are milliseconds unless a name says otherwise; the
 * names are ZooKeeper's keys so operators recognise them (dotted groups such
 * as `autopurge.*` become nested objects).
 */
export interface ServerConfig {
  /** Absolute path of the zoo.cfg this came from; absent for built-in defaults. */
  readonly configPath?: string;

  // ---- basics
  /** Length of a tick in ms: the unit for session timeouts, initLimit, syncLimit. */
  readonly tickTime: number;
  /** Snapshots (and the txn log unless dataLogDir is set). Absolute when parsed from a file. */
  readonly dataDir: string;
  /** Transaction log directory; equals dataDir when not set. */
  readonly dataLogDir: string;
  /** TCP port for clients. */
  readonly clientPort: number;
  /** Address to bind for clients; `0.0.0.0` (all interfaces) when not set. */
  readonly clientPortAddress: string;
  /** Parsed but not served: zk-ts has no TLS listener yet. */
  readonly secureClientPort?: number;
  readonly secureClientPortAddress?: string;
  /** Concurrent connections per client IP; 0 = unlimited. ZooKeeper default 60. */
  readonly maxClientCnxns: number;
  /** listen() backlog; -1 = platform default. */
  readonly clientPortListenBacklog: number;
  /** Smallest session timeout a client may negotiate (default 2 × tickTime). */
  readonly minSessionTimeout: number;
  /** Largest session timeout a client may negotiate (default 20 × tickTime). */
  readonly maxSessionTimeout: number;

  // ---- ensemble
  /** Ticks a follower may take to connect and sync to a leader (0 = unset; required for an ensemble). */
  readonly initLimit: number;
  /** Ticks a follower may lag before it is dropped (0 = unset; required for an ensemble). */
  readonly syncLimit: number;
  /** Ticks to connect to the leader after election; defaults to initLimit. */
  readonly connectToLearnerMasterLimit: number;
  /** Always 3 (fast leader election over TCP): the only one ZooKeeper 3.6+ has. */
  readonly electionAlg: 3;
  /** Every server.N line, sorted by id. Empty for a plain standalone config. */
  readonly servers: readonly QuorumServerConfig[];
  /** This server's id from dataDir/myid; absent when there is no myid file. */
  readonly serverId?: number;
  /** Role of this server: taken from its server.N line when it has one. */
  readonly peerType: PeerType;
  /**
   * True when this server runs as a quorum peer (leader/follower/observer),
   * false for standalone. As ZooKeeper decides it: more than one participant,
   * or any servers at all with `standaloneEnabled=false`.
   */
  readonly distributed: boolean;
  readonly standaloneEnabled: boolean;
  readonly reconfigEnabled: boolean;
  /** `dynamicConfigFile` (absolute) when the ensemble lives in a separate file. */
  readonly dynamicConfigFile?: string;
  /** `version` of the dynamic configuration (hex, as ZooKeeper writes it). */
  readonly dynamicConfigVersion?: string;
  /** Followers also serve observers on this port when set. */
  readonly observerMasterPort?: number;
  readonly quorumListenOnAllIPs: boolean;
  /** Retries when binding the election port fails; 0 = forever. Default 3. */
  readonly electionPortBindRetry: number;
  /** Whether the leader accepts client connections. Default true ("yes"). */
  readonly leaderServes: boolean;
  /** Whether observers log and snapshot like participants. Default true. */
  readonly syncEnabled: boolean;
  readonly localSessionsEnabled: boolean;
  readonly localSessionsUpgradingEnabled: boolean;
  /** `multiAddress.enabled`: allow `|`-separated addresses in server.N. */
  readonly multiAddressEnabled: boolean;

  // ---- four-letter words
  /**
   * Commands the server answers, already effective: the whitelist (or all of
   * them for `*`), plus `srvr` always and `isro` when readOnlyModeEnabled. Sorted.
   */
  readonly fourLetterWordWhitelist: readonly FourLetterWord[];

  // ---- storage
  /** Transactions between snapshots (each server snapshots at a random point in [snapCount/2+1, snapCount]). */
  readonly snapCount: number;
  /** Txn log files grow in blocks of this many KiB. Default 65536 (64 MiB). */
  readonly preAllocSizeKb: number;
  /** fsync the txn log before acknowledging. `forceSync=no` is unsafe. */
  readonly forceSync: boolean;
  readonly autopurge: {
    /** Snapshots (and their logs) kept by autopurge; at least 3. */
    readonly snapRetainCount: number;
    /** Hours between purges; 0 = autopurge off. */
    readonly purgeIntervalHours: number;
  };

  // ---- limits and features
  /** Requests queued across all clients before throttling. Default 1000. */
  readonly globalOutstandingLimit: number;
  /** Largest record accepted on the wire, bytes. Default 0xfffff (1,048,575). */
  readonly juteMaxBuffer: number;
  /** TTL nodes and other extended types. */
  readonly extendedTypesEnabled: boolean;
  /** `DigestAuthenticationProvider.superDigest`: `super:<base64 sha1>`. */
  readonly superDigest?: string;
  /** Serve reads (and refuse writes) while partitioned from the quorum. */
  readonly readOnlyModeEnabled: boolean;
  /** Hard quotas: refuse writes past `/zookeeper/quota` limits. */
  readonly enforceQuota: boolean;
  /**
   * Container and TTL cleanup (ZooKeeper's `znode.container.*` JVM properties, also accepted in
   * zoo.cfg): check period, deletions per minute, and the age after which a never-used container goes.
   */
  readonly containers: {
    readonly checkIntervalMs: number;
    readonly maxPerMinute: number;
    readonly maxNeverUsedIntervalMs: number;
  };
  /** Data tree digests for consistency checking. Default true. */
  readonly digestEnabled: boolean;
  /** Skip every ACL check. Unsafe. */
  readonly skipACL: boolean;

  // ---- parsed, not served yet
  /** AdminServer settings (ZooKeeper defaults: enabled, 0.0.0.0:8080). zk-ts runs no AdminServer. */
  readonly admin: {
    readonly enableServer: boolean;
    readonly serverAddress: string;
    readonly serverPort: number;
  };
  /** `metricsProvider.className` and the other `metricsProvider.*` keys (prefix removed). */
  readonly metricsProvider: {
    readonly className?: string;
    readonly properties: Readonly<Record<string, string>>;
  };
}
