import type { Logger, ServerConfig } from '@zk/server';

/** What `server.mode` reports. */
export type ServerMode = 'standalone' | 'leader' | 'follower' | 'observer' | 'looking';

/** The part of @zk/server's `ZkServer` the daemon uses. */
export interface ServerHandle {
  readonly mode: ServerMode | string;
  /** Binds clientPortAddress:clientPort; rejects (e.g. EADDRINUSE) naming the address. */
  start(): Promise<void>;
  /** Closes the listener and connections and flushes storage. */
  stop(): Promise<void>;
}

export type CreateServer = (config: ServerConfig, options: { logger: Logger }) => Promise<ServerHandle>;

/**
 * Loads `createServer` from @zk/server on demand, so `status`, `stop` and
 * `version` never load the server code.
 */
export async function loadCreateServer(): Promise<CreateServer> {
  const mod = (await import('@zk/server')) as Record<string, unknown>;
  const createServer = mod['createServer'];
  if (typeof createServer !== 'function') {
    throw new Error('this build of @zk/server has no createServer export');
  }
  return createServer as CreateServer;
}
