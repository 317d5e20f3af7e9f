// One small integer per (watcher, path) says which watches that watcher holds there. ZooKeeper keeps
// two tables (DataTree.dataWatches and childWatches), each with a WatchStats bit set of
// STANDARD / PERSISTENT / PERSISTENT_RECURSIVE; here both tables share one entry, data bits low,
// child bits high. Persistent-recursive watches only ever live in the data table (DataTree.addWatch).

/** Data table, WatcherMode.STANDARD: a one-shot getData / exists watch. */
export const DATA_STANDARD = 1;
/** Data table, WatcherMode.PERSISTENT. */
export const DATA_PERSISTENT = 2;
/** Data table, WatcherMode.PERSISTENT_RECURSIVE. */
export const DATA_RECURSIVE = 4;
/** Child table, WatcherMode.STANDARD: a one-shot getChildren watch. */
export const CHILD_STANDARD = 8;
/** Child table, WatcherMode.PERSISTENT. */
export const CHILD_PERSISTENT = 16;

export const DATA_MASK = DATA_STANDARD | DATA_PERSISTENT | DATA_RECURSIVE;
export const CHILD_MASK = CHILD_STANDARD | CHILD_PERSISTENT;
export const STANDARD_MASK = DATA_STANDARD | CHILD_STANDARD;
