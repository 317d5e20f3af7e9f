export {
  WatchManager,
  type TriggerEventType,
  type WatchTrigger,
  type WatchesSummary,
} from './watch-manager.js';
export { setWatches, type SetWatchesLists, type WatchedNodeZxids } from './set-watches.js';
export { formatWatchesByPath, formatWatchesByWatcher, formatWatchesSummary } from './watch-report.js';
export { parentPath } from './path-parent.js';
