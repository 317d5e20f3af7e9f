import { resolve } from 'node:path';
import { loadConfig, type ServerConfig } from '@zk/server';
import type { PositionalSpec } from './args.js';
import type { Runtime } from './runtime.js';

export const CONFIG_POSITIONAL: PositionalSpec = {
  name: 'zoo.cfg',
  optional: true,
  description: 'ZooKeeper-format config file; without it, built-in defaults (127.0.0.1:2181, ./data)',
};

export interface LoadedConfig {
  readonly config: ServerConfig;
  readonly warnings: readonly string[];
  /** Absolute path of the file, or undefined for the defaults. */
  readonly path: string | undefined;
}

/** Loads zoo.cfg (or the defaults) relative to the runtime's cwd and environment. Throws ConfigError. */
export async function loadCliConfig(rt: Runtime, path: string | undefined): Promise<LoadedConfig> {
  const { config, warnings } = await loadConfig(path, { cwd: rt.cwd, env: rt.env });
  return { config, warnings, path: path === undefined ? undefined : resolve(rt.cwd, path) };
}

/** What zkServer.sh prints first: which config is in use. */
export function usingConfigLine(loaded: LoadedConfig): string {
  return `Using config: ${loaded.path ?? '(built-in defaults)'}\n`;
}
