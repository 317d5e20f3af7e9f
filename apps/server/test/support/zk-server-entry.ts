/**
 * Stand-in for the `@zk/server` entry point while its index.ts does not yet
 * re-export the config and logger modules (the app imports them from
 * '@zk/server'). tsconfig.json `paths` and vitest.config.ts `alias` point
 * '@zk/server' here; both go away once packages/server/src/index.ts exports
 * them. The real entry is re-exported too, so createServer shows up as soon
 * as it exists. No fakes in here.
 */
export * from '../../../../packages/server/src/index.js';
export * from '../../../../packages/server/src/config/index.js';
export * from '../../../../packages/server/src/logger.js';
