import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from './defaults.js';
import { ConfigError } from './errors.js';
import { parseZooCfg, type ParseZooCfgResult } from './parse.js';
import { parseProperties } from './properties.js';

export interface LoadConfigOptions {
  /** Working directory relative paths are resolved against. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Environment for `SERVER_JVMFLAGS` / `JVMFLAGS` (see parseZooCfg). Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads and parses a zoo.cfg (UTF-8). When the file lists `server.N` lines or a
 * `dynamicConfigFile`, also reads `dataDir/myid` (if present) and the dynamic
 * file. Without a path, returns {@link DEFAULT_CONFIG} with its `./data`
 * resolved against `cwd`. Throws {@link ConfigError}, also for unreadable files.
 */
export async function loadConfig(path?: string, options: LoadConfigOptions = {}): Promise<ParseZooCfgResult> {
  const cwd = options.cwd ?? process.cwd();
  if (path === undefined) {
    const dataDir = resolve(cwd, DEFAULT_CONFIG.dataDir);
    return { config: { ...DEFAULT_CONFIG, dataDir, dataLogDir: dataDir }, warnings: [] };
  }
  const file = resolve(cwd, path);
  const text = await readText(file, 'the config file', undefined);

  const entries = parseProperties(text, path);
  const lastValue = (key: string): string | undefined => entries.filter((e) => e.key === key).at(-1)?.value;
  const dataDir = lastValue('dataDir');
  const dynamicConfigFile = lastValue('dynamicConfigFile');
  const hasServers = entries.some((e) => e.key.startsWith('server.')) || dynamicConfigFile !== undefined;

  let myid: string | undefined;
  if (hasServers && dataDir !== undefined && dataDir !== '') {
    myid = await readOptional(resolve(cwd, dataDir, 'myid'));
  }
  let dynamicConfig: string | undefined;
  if (dynamicConfigFile !== undefined && dynamicConfigFile !== '') {
    dynamicConfig = await readText(resolve(cwd, dynamicConfigFile), 'the dynamic config file', 'dynamicConfigFile');
  }
  return parseZooCfg(text, {
    baseDir: cwd,
    env: options.env ?? process.env,
    file,
    ...(myid !== undefined ? { myid } : {}),
    ...(dynamicConfig !== undefined ? { dynamicConfig } : {}),
  });
}

async function readText(file: string, what: string, key: string | undefined): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? `${what} does not exist` : `${what} cannot be read (${code ?? String(e)})`;
    throw new ConfigError(problem, { ...(key !== undefined ? { key } : {}), file, expected: 'a readable file' });
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigError(`cannot read the myid file (${code ?? String(e)})`, { key: 'myid', file, expected: 'a readable file' });
  }
}
