/**
 * Key tables for zoo.cfg. Facts from ZooKeeper 3.8's QuorumPeerConfig and the
 * admin guide's list of configuration parameters.
 */

/**
 * Keys ZooKeeper does not parse itself but passes on as the system property
 * `zookeeper.<key>` (the `else` branch of QuorumPeerConfig.parseProperties),
 * where the server code then reads them. Operators also write them with the
 * `zookeeper.` prefix; we accept both spellings.
 */
export const SYSTEM_PROPERTY_KEYS: ReadonlySet<string> = new Set([
  '4lw.commands.whitelist',
  'snapCount',
  'preAllocSize',
  'forceSync',
  'globalOutstandingLimit',
  'electionPortBindRetry',
  'leaderServes',
  'extendedTypesEnabled',
  'DigestAuthenticationProvider.superDigest',
  'enforceQuota',
  'digest.enabled',
  'skipACL',
  'admin.enableServer',
  'admin.serverAddress',
  'admin.serverPort',
]);

/**
 * Keys ZooKeeper reads from a system property *without* the `zookeeper.`
 * prefix, so in ZooKeeper they only work as JVM flags (`-Djute.maxbuffer=…`).
 * zk-ts honours them in zoo.cfg too, spelled either way.
 */
export const UNPREFIXED_PROPERTY_KEYS: ReadonlySet<string> = new Set([
  'jute.maxbuffer', 'readonlymode.enabled',
  'znode.container.checkIntervalMs', 'znode.container.maxPerMinute', 'znode.container.maxNeverUsedIntervalMs',
]);

/** Keys QuorumPeerConfig.parseProperties handles itself (plus `server.N`, `group.N`, `weight.N`, `metricsProvider.*`). */
export const DIRECT_KEYS: ReadonlySet<string> = new Set([
  'dataDir', 'dataLogDir', 'clientPort', 'clientPortAddress', 'secureClientPort', 'secureClientPortAddress',
  'observerMasterPort', 'clientPortListenBacklog', 'tickTime', 'maxClientCnxns', 'minSessionTimeout',
  'maxSessionTimeout', 'initLimit', 'syncLimit', 'connectToLearnerMasterLimit', 'electionAlg',
  'quorumListenOnAllIPs', 'peerType', 'syncEnabled', 'dynamicConfigFile', 'autopurge.snapRetainCount',
  'autopurge.purgeInterval', 'standaloneEnabled', 'reconfigEnabled', 'localSessionsEnabled',
  'localSessionsUpgradingEnabled', 'multiAddress.enabled', 'version',
]);

/**
 * ZooKeeper options zk-ts recognises but does not implement. They are ignored
 * with a warning that says so (rather than the "unknown key" warning).
 */
const UNSUPPORTED_EXACT = [
  // QuorumPeerConfig's own keys
  'sslQuorum', 'portUnification', 'sslQuorumReloadCertFiles', 'quorum.auth.enableSasl',
  'quorum.auth.serverRequireSasl', 'quorum.auth.learnerRequireSasl', 'quorum.auth.learner.saslLoginContext',
  'quorum.auth.server.saslLoginContext', 'quorum.auth.kerberos.servicePrincipal', 'quorum.cnxn.threads.size',
  'jvm.pause.info-threshold.ms', 'jvm.pause.warn-threshold.ms', 'jvm.pause.sleep.time.ms', 'jvm.pause.monitor',
  'multiAddress.reachabilityCheckTimeoutMs', 'multiAddress.reachabilityCheckEnabled', 'oraclePath',
  // system-property options from the admin guide
  'commitLogCount', 'snapSizeLimitInKb', 'txnLogSizeLimitInKb', 'maxCnxns', 'fsync.warningthresholdms',
  'maxResponseCacheSize', 'maxGetChildrenResponseCacheSize', 'emulate353TTLNodes', 'watchManagerName',
  'watcherCleanThreadsNum', 'watcherCleanThreshold', 'watcherCleanIntervalInSeconds', 'maxInProcessingDeadWatchers',
  'bitHashCacheSize', 'fastleader.minNotificationInterval', 'fastleader.maxNotificationInterval',
  'connectionMaxTokens', 'connectionTokenFillTime', 'connectionTokenFillCount', 'connectionFreezeTime',
  'connectionDropIncrease', 'connectionDropDecrease', 'connectionDecreaseRatio', 'serverCnxnFactory', 'flushDelay',
  'maxWriteQueuePollTime', 'maxBatchSize', 'requestThrottleLimit', 'requestThrottleStallTime',
  'requestThrottleDropStale', 'requestStaleLatencyCheck', 'requestStaleConnectionCheck',
  'advancedFlowControlEnabled', 'enableEagerACLCheck', 'maxConcurrentSnapSyncs', 'maxConcurrentDiffSyncs',
  'snapshot.compression.method', 'snapshot.trust.empty', 'audit.enable', 'audit.impl.class', 'largeRequestMaxBytes',
  'largeRequestThreshold', 'outstandingHandshake.limit', 'netty.server.earlyDropSecureConnectionHandshakes',
  'throttledOpWaitTime', 'learner.closeSocketAsync', 'leader.closeSocketAsync', 'learner.asyncSending',
  'forward_learner_requests_to_commit_processor_disabled', 'maxTimeToWaitForEpoch', 'cnxTimeout',
  'quorumCnxnTimeoutMs', 'tcpKeepAlive', 'clientTcpKeepAlive', 'observer.reconnectDelayMs',
  'observer.election.DelayMs', 'DigestAuthenticationProvider.enabled', 'DigestAuthenticationProvider.digestAlg',
  'X509AuthenticationProvider.superUser', 'superUser', 'ensembleAuthName', 'sessionRequireClientSASLAuth',
  'enforce.auth.enabled', 'enforce.auth.schemes', 'client.certReload', 'client.portUnification', 'fips-mode',
  'jute.maxbuffer.extrasize', 'follower.skipLearnerRequestToNextProcessor', 'closeSessionTxn.enabled',
  'admin.forceHttps', 'admin.portUnification', 'admin.idleTimeout', 'admin.commandURL',
  'connection_throttle_weight_enabled', 'connection_throttle_global_session_weight',
  'connection_throttle_local_session_weight', 'connection_throttle_renew_session_weight',
  'request_throttler.shutdownTimeout', 'messageTracker.BufferSize', 'messageTracker.Enabled',
];
const UNSUPPORTED_PREFIXES = [
  'ssl.', 'authProvider.', 'kerberos.', 'nio.', 'commitProcessor.', 'znode.container.',
];
const UNSUPPORTED = new Set(UNSUPPORTED_EXACT);

/** True for a ZooKeeper option zk-ts knows about but ignores. Accepts a `zookeeper.` prefix. */
export function isUnsupportedZooKeeperKey(key: string): boolean {
  const k = key.startsWith('zookeeper.') ? key.slice('zookeeper.'.length) : key;
  return UNSUPPORTED.has(k) || UNSUPPORTED_PREFIXES.some((p) => k.startsWith(p));
}

/**
 * JVM system properties (as in `SERVER_JVMFLAGS="-Dzookeeper.snapCount=50000"`)
 * that map to a zoo.cfg key. Anything else in the JVM flags is ignored.
 */
export function keyForSystemProperty(name: string): string | undefined {
  if (UNPREFIXED_PROPERTY_KEYS.has(name)) return name;
  if (name === 'zookeeper.observer.syncEnabled') return 'syncEnabled';
  if (name.startsWith('zookeeper.')) {
    const k = name.slice('zookeeper.'.length);
    if (SYSTEM_PROPERTY_KEYS.has(k) || UNPREFIXED_PROPERTY_KEYS.has(k) || k === 'multiAddress.enabled') return k;
  }
  return undefined;
}
