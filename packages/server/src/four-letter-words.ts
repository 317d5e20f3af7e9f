import type { FourLetterWord } from '@zk/protocol';
import { VERSION_STRING } from './version.js';

/** What the words need to know about the running server, gathered on demand. */
export interface FourLetterContext {
  mode: string;
  /** False while an ensemble member elects or syncs: most words then say so, as ZooKeeper's do. */
  serving: boolean;
  readOnly: boolean;
  whitelist: ReadonlySet<string> | 'all';
  stats: {
    minLatency: number; avgLatency: string; maxLatency: number;
    packetsReceived: number; packetsSent: number;
    authFailed: number; connectionRejected: number; sessionlessConnectionsExpired: number; bytesReceived: number;
  };
  uptimeMs: number;
  lastZxid: bigint;
  nodeCount: number;
  approximateDataSize: number;
  ephemeralsCount: number;
  sessionCount: number;
  outstandingRequests: number;
  connections(): ConnectionInfo[];
  config(): Array<[string, string | number]>;
  environment(): Array<[string, string]>;
  watchSummary(): { connections: number; paths: number; watches: number };
  watchesBySession(): Array<[bigint, string[]]>;
  watchesByPath(): Array<[string, bigint[]]>;
  sessionsWithEphemerals(): Array<[bigint, string[]]>;
  dirSizes(): { dataDir: number; dataLogDir: number };
  digest(): bigint;
  resetStats(): void;
  resetConnectionStats(): void;
  extraMonitorLines(): Array<[string, string | number]>;
}

export interface ConnectionInfo {
  remote: string;
  interestOps: number;
  queued: number;
  received: number;
  sent: number;
  sessionId?: bigint;
  lastOp?: string;
  established?: number;
  timeoutMs?: number;
  lastCxid?: number;
  lastZxid?: bigint;
  lastResponse?: number;
  lastLatency?: number;
  minLatency?: number;
  avgLatency?: number;
  maxLatency?: number;
}

const hex = (v: bigint): string => '0x' + BigInt.asUintN(64, v).toString(16);

function connectionLine(c: ConnectionInfo): string {
  let s = ` /${c.remote}[${c.interestOps}](queued=${c.queued},recved=${c.received},sent=${c.sent}`;
  if (c.sessionId !== undefined) {
    s += `,sid=${hex(c.sessionId)},lop=${c.lastOp ?? 'NA'},est=${c.established ?? 0},to=${c.timeoutMs ?? 0}`;
    if (c.lastCxid !== undefined) s += `,lcxid=0x${(c.lastCxid >>> 0).toString(16)}`;
    s += `,lzxid=${hex(c.lastZxid ?? -1n)},lresp=${c.lastResponse ?? 0},llat=${c.lastLatency ?? 0}`;
    s += `,minlat=${c.minLatency ?? 0},avglat=${c.avgLatency ?? 0},maxlat=${c.maxLatency ?? 0}`;
  }
  return s + ')\n';
}

function serverSummary(ctx: FourLetterContext, withClients: boolean): string {
  let out = `Zookeeper version: ${VERSION_STRING}\n`;
  if (withClients) {
    out += 'Clients:\n';
    for (const c of ctx.connections()) out += connectionLine(c);
    out += '\n';
  }
  out += `Latency min/avg/max: ${ctx.stats.minLatency}/${ctx.stats.avgLatency}/${ctx.stats.maxLatency}\n`;
  out += `Received: ${ctx.stats.packetsReceived}\n`;
  out += `Sent: ${ctx.stats.packetsSent}\n`;
  out += `Connections: ${ctx.connections().length}\n`;
  out += `Outstanding: ${ctx.outstandingRequests}\n`;
  out += `Zxid: ${hex(ctx.lastZxid)}\n`;
  out += `Mode: ${ctx.mode}\n`;
  out += `Node count: ${ctx.nodeCount}\n`;
  return out;
}

function monitor(ctx: FourLetterContext): string {
  const w = ctx.watchSummary();
  const rows: Array<[string, string | number]> = [
    ['zk_version', VERSION_STRING],
    ['zk_server_state', ctx.mode],
    ['zk_ephemerals_count', ctx.ephemeralsCount],
    ['zk_num_alive_connections', ctx.connections().length],
    ['zk_avg_latency', ctx.stats.avgLatency],
    ['zk_outstanding_requests', ctx.outstandingRequests],
    ['zk_znode_count', ctx.nodeCount],
    ['zk_global_sessions', ctx.sessionCount],
    ['zk_local_sessions', 0],
    ['zk_packets_sent', ctx.stats.packetsSent],
    ['zk_packets_received', ctx.stats.packetsReceived],
    ['zk_watch_count', w.watches],
    ['zk_auth_failed_count', ctx.stats.authFailed],
    ['zk_min_latency', ctx.stats.minLatency],
    ['zk_max_latency', ctx.stats.maxLatency],
    ['zk_approximate_data_size', ctx.approximateDataSize],
    ['zk_uptime', ctx.uptimeMs],
    ['zk_connection_rejected', ctx.stats.connectionRejected],
    ['zk_sessionless_connections_expired', ctx.stats.sessionlessConnectionsExpired],
    ['zk_bytes_received_count', ctx.stats.bytesReceived],
    ...ctx.extraMonitorLines(),
  ];
  return rows.map(([k, v]) => `${k}\t${v}\n`).join('');
}

/**
 * Runs one word and returns the text to send before closing the connection, as ZooKeeper
 * does. Words outside the whitelist get ZooKeeper's refusal line.
 */
export function runFourLetterWord(word: FourLetterWord, ctx: FourLetterContext): string {
  if (!isEnabled(word, ctx)) return `${word} is not executed because it is not in the whitelist.\n`;
  if (!ctx.serving) {
    if (word === 'isro') return 'null';
    if (NEED_SERVING.has(word)) return `${ZK_NOT_SERVING}\n`;
  }
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'srvr':
      return serverSummary(ctx, false);
    case 'stat':
      return serverSummary(ctx, true);
    case 'cons':
      return ctx.connections().map(connectionLine).join('') + '\n';
    case 'conf':
      return ctx.config().map(([k, v]) => `${k}=${v}\n`).join('');
    case 'envi':
      return 'Environment:\n' + ctx.environment().map(([k, v]) => `${k}=${v}\n`).join('');
    case 'mntr':
      return monitor(ctx);
    case 'wchs': {
      const w = ctx.watchSummary();
      return `${w.connections} connections watching ${w.paths} paths\nTotal watches:${w.watches}\n`;
    }
    case 'wchc':
      return ctx.watchesBySession().map(([sid, paths]) => `${hex(sid)}\n` + paths.map((p) => `\t${p}\n`).join('')).join('') + '\n';
    case 'wchp':
      return ctx.watchesByPath().map(([path, sids]) => `${path}\n` + sids.map((s) => `\t${hex(s)}\n`).join('')).join('') + '\n';
    case 'dump': {
      const eph = ctx.sessionsWithEphemerals();
      let out = 'SessionTracker dump:\n';
      out += `Session Sets (${ctx.sessionCount})/(${ctx.sessionCount}):\n`;
      out += 'ephemeral nodes dump:\n';
      out += `Sessions with Ephemerals (${eph.length}):\n`;
      for (const [sid, paths] of eph) out += `${hex(sid)}:\n` + paths.map((p) => `\t${p}\n`).join('');
      out += 'Connections dump:\n';
      const cons = ctx.connections();
      out += `Connections Sets (${cons.length})/(${cons.length}):\n`;
      for (const c of cons) out += `\tip: /${c.remote} sessionId: ${hex(c.sessionId ?? 0n)}\n`;
      return out;
    }
    case 'isro':
      return ctx.readOnly ? 'ro' : 'rw';
    case 'dirs': {
      const d = ctx.dirSizes();
      return `datadir_size: ${d.dataDir}\nlogdir_size: ${d.dataLogDir}\n`;
    }
    case 'srst':
      ctx.resetStats();
      return 'Server stats reset.\n';
    case 'crst':
      ctx.resetConnectionStats();
      return 'Connection stats reset.\n';
    case 'gtmk':
      return '0\n';
    case 'stmk':
      return '0\n';
    case 'hash':
      return `${hex(ctx.lastZxid)}: ${ctx.digest()}\n`;
  }
}

/** FourLetterCommands.ZK_NOT_SERVING. */
export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/** The words ZooKeeper answers only while its ZooKeeperServer is running. */
const NEED_SERVING = new Set<FourLetterWord>(['srvr', 'stat', 'cons', 'mntr', 'wchs', 'wchc', 'wchp', 'dump', 'dirs', 'srst', 'crst', 'hash']);

function isEnabled(word: FourLetterWord, ctx: FourLetterContext): boolean {
  // ZooKeeper always enables srvr (zkServer.sh status depends on it).
  if (word === 'srvr') return true;
  if (ctx.whitelist === 'all') return true;
  return ctx.whitelist.has(word);
}
