import { createServer, type Logger, type ServerConfig, type ZkServer } from '@zk/server';

export type { ServerMode } from '@zk/server';

/** The part of @zk/server's ZkServer the daemon uses (what a test fake has to provide). */
export type ServerHandle = Pick<ZkServer, 'mode' | 'start' | 'stop'> & Partial<Pick<ZkServer, 'address'>>;

export type CreateServer = (config: ServerConfig, deps: { logger: Logger }) => Promise<ServerHandle>;

/** The real one: @zk/server's createServer. */
export async function loadCreateServer(): Promise<CreateServer> {
  return createServer;
}
