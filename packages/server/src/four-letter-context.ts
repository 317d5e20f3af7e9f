import { hostname, userInfo, platform, arch, release, freemem, totalmem } from 'node:os';
import type { FourLetterContext, ConnectionInfo } from './four-letter-words.js';
import type { ServerCore } from './server-core.js';
import { VERSION_STRING } from './version.js';

/** Gathers what the four-letter words report from a running server, on demand. */
export function fourLetterContext(
  core: ServerCore, mode: string, dirSizes: () => { dataDir: number; dataLogDir: number },
  roleMonitorLines: () => Array<[string, number]> = () => [],
): FourLetterContext {
  const cfg = core.config;
  const whitelist = new Set<string>(cfg.fourLetterWordWhitelist);
  return {
    mode,
    serving: core.serving,
    readOnly: false,
    whitelist,
    stats: core.stats,
    uptimeMs: core.clock.now() - core.startedAt,
    lastZxid: core.lastZxid(),
    nodeCount: core.tree.nodeCount,
    approximateDataSize: core.tree.approximateDataSize,
    ephemeralsCount: core.tree.ephemeralCount,
    sessionCount: core.sessions.size,
    outstandingRequests: core.outstanding,
    connections: () => [...core.connections].map(connectionInfo),
    config: () => [
      ['clientPort', cfg.clientPort],
      ['secureClientPort', cfg.secureClientPort ?? -1],
      ['dataDir', cfg.dataDir],
      ['dataDirSize', dirSizes().dataDir],
      ['dataLogDir', cfg.dataLogDir],
      ['dataLogSize', dirSizes().dataLogDir],
      ['tickTime', cfg.tickTime],
      ['maxClientCnxns', cfg.maxClientCnxns],
      ['minSessionTimeout', cfg.minSessionTimeout],
      ['maxSessionTimeout', cfg.maxSessionTimeout],
      ['clientPortListenBacklog', cfg.clientPortListenBacklog],
      ['serverId', cfg.serverId ?? 0],
    ],
    environment: () => [
      ['zookeeper.version', VERSION_STRING],
      ['host.name', hostname()],
      ['node.version', process.version],
      ['os.name', platform()],
      ['os.arch', arch()],
      ['os.version', release()],
      ['user.name', userInfo().username],
      ['user.home', userInfo().homedir],
      ['user.dir', process.cwd()],
      ['os.memory.free', `${Math.round(freemem() / 1048576)}MB`],
      ['os.memory.total', `${Math.round(totalmem() / 1048576)}MB`],
      ['process.memory.rss', `${Math.round(process.memoryUsage().rss / 1048576)}MB`],
    ],
    watchSummary: () => {
      const s = core.watches.summary();
      return { connections: s.numConnections, paths: s.numPaths, watches: s.totalWatches };
    },
    watchesBySession: () => [...core.watches.watchesByWatcher()].map(([c, paths]) => [c.sessionId, paths]),
    watchesByPath: () => [...core.watches.watchesByPath()].map(([p, cs]) => [p, cs.map((c) => c.sessionId)]),
    sessionsWithEphemerals: () => core.tree.sessionsWithEphemerals().map((id) => [id, core.tree.ephemeralsOf(id)]),
    dirSizes,
    digest: () => core.tree.digest(),
    resetStats: () => core.stats.reset(),
    resetConnectionStats: () => {
      for (const c of core.connections) c.resetStats();
    },
    extraMonitorLines: roleMonitorLines,
  };
}

function connectionInfo(c: ServerCore['connections'] extends Set<infer C> ? C : never): ConnectionInfo {
  const base: ConnectionInfo = { remote: c.remote, interestOps: c.sessionId === 0n ? 0 : 1, queued: c.queued, received: c.received, sent: c.sent };
  if (c.sessionId === 0n) return base;
  return {
    ...base,
    sessionId: c.sessionId,
    lastOp: c.lastOp,
    established: c.established,
    timeoutMs: c.timeoutMs,
    lastCxid: c.lastCxid,
    lastZxid: c.lastZxid,
    lastResponse: c.lastResponse,
    lastLatency: c.lastLatency,
    minLatency: c.minLatency === Number.MAX_SAFE_INTEGER ? 0 : c.minLatency,
    avgLatency: c.avgLatency,
    maxLatency: c.maxLatency,
  };
}
