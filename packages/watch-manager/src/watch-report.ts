import type { WatchesSummary } from './watch-manager.js';

// Text bodies of the watch four-letter words, laid out as ZooKeeper's WatchManager prints them
// (toString / dumpWatches). The 4lw command appends one final newline after the body.

/** wchs: "<n> connections watching <m> paths\nTotal watches:<k>". */
export function formatWatchesSummary(summary: WatchesSummary): string {
  return `${summary.numConnections} connections watching ${summary.numPaths} paths\nTotal watches:${summary.totalWatches}`;
}

/** wchc: for each watcher "0x<session id>\n" then "\t<path>\n" per watched path. */
export function formatWatchesByWatcher<W>(byWatcher: Map<W, readonly string[]>, sessionIdOf: (watcher: W) => bigint): string {
  let out = '';
  for (const [watcher, paths] of byWatcher) {
    out += `0x${hex(sessionIdOf(watcher))}\n`;
    for (const path of paths) out += `\t${path}\n`;
  }
  return out;
}

/** wchp: for each path "<path>\n" then "\t0x<session id>\n" per watcher. */
export function formatWatchesByPath<W>(byPath: Map<string, readonly W[]>, sessionIdOf: (watcher: W) => bigint): string {
  let out = '';
  for (const [path, watchers] of byPath) {
    out += `${path}\n`;
    for (const watcher of watchers) out += `\t0x${hex(sessionIdOf(watcher))}\n`;
  }
  return out;
}

function hex(sessionId: bigint): string {
  return BigInt.asUintN(64, sessionId).toString(16);
}
