import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, isConfigError, loadConfig } from '../src/config/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zk-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadConfig', () => {
  it('without a path: DEFAULT_CONFIG with ./data resolved against cwd', async () => {
    const { config, warnings } = await loadConfig(undefined, { cwd: dir });
    expect(warnings).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, dataDir: join(dir, 'data'), dataLogDir: join(dir, 'data') });
  });

  it('reads a standalone zoo.cfg and records its absolute path', async () => {
    await writeFile(join(dir, 'zoo.cfg'), `tickTime=2000\ndataDir=${dir}/data\nclientPort=2181\n`);
    const { config } = await loadConfig('zoo.cfg', { cwd: dir, env: {} });
    expect(config.configPath).toBe(join(dir, 'zoo.cfg'));
    expect(config.dataDir).toBe(join(dir, 'data'));
    expect(config.serverId).toBeUndefined();
  });

  it('resolves relative paths against cwd, like ZooKeeper', async () => {
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf', 'zoo.cfg'), 'dataDir=./var\nclientPort=2181\n');
    const { config } = await loadConfig('conf/zoo.cfg', { cwd: dir, env: {} });
    expect(config.dataDir).toBe(join(dir, 'var'));
  });

  it('reads dataDir/myid for an ensemble', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'myid'), '2\n');
    await writeFile(join(dir, 'zoo.cfg'), [
      'tickTime=2000', 'initLimit=10', 'syncLimit=5', `dataDir=${dir}/data`,
      'server.1=127.0.0.1:2888:3888', 'server.2=127.0.0.1:2889:3889;127.0.0.1:2182', 'server.3=127.0.0.1:2890:3890',
    ].join('\n'));
    const { config } = await loadConfig(join(dir, 'zoo.cfg'), { env: {} });
    expect(config.serverId).toBe(2);
    expect(config.distributed).toBe(true);
    expect([config.clientPortAddress, config.clientPort]).toEqual(['127.0.0.1', 2182]);
  });

  it('a missing myid for an ensemble is a clear error', async () => {
    await writeFile(join(dir, 'zoo.cfg'), [
      'initLimit=10', 'syncLimit=5', `dataDir=${dir}/data`, 'clientPort=2181',
      'server.1=a:2888:3888', 'server.2=b:2888:3888', 'server.3=c:2888:3888',
    ].join('\n'));
    const e = await rejection(loadConfig(join(dir, 'zoo.cfg'), { env: {} }));
    expect(isConfigError(e)).toBe(true);
    expect(e.message).toContain(`${dir}/data/myid is missing`);
  });

  it('does not read myid for a standalone config', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'myid'), 'garbage');
    await writeFile(join(dir, 'zoo.cfg'), `dataDir=${dir}/data\nclientPort=2181\n`);
    const { config } = await loadConfig(join(dir, 'zoo.cfg'), { env: {} });
    expect(config.serverId).toBeUndefined();
  });

  it('reads the dynamic config file', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'myid'), '3');
    await writeFile(join(dir, 'zoo.cfg.dynamic.100000000'),
      'server.1=a:2888:3888;2181\nserver.2=b:2888:3888;2181\nserver.3=c:2888:3888;2181\n');
    await writeFile(join(dir, 'zoo.cfg'),
      `initLimit=10\nsyncLimit=5\ndataDir=${dir}/data\ndynamicConfigFile=${dir}/zoo.cfg.dynamic.100000000\n`);
    const { config } = await loadConfig(join(dir, 'zoo.cfg'), { env: {} });
    expect(config.servers.map((s) => s.host)).toEqual(['a', 'b', 'c']);
    expect(config.clientPort).toBe(2181);
  });

  it('a missing dynamic config file is a ConfigError naming the key', async () => {
    await writeFile(join(dir, 'zoo.cfg'), `dataDir=${dir}\ndynamicConfigFile=${dir}/nope\n`);
    const e = await rejection(loadConfig(join(dir, 'zoo.cfg'), { env: {} }));
    expect(isConfigError(e)).toBe(true);
    expect(e.message).toMatch(/^dynamicConfigFile: the dynamic config file does not exist/);
  });

  it('a missing config file is a ConfigError naming the file', async () => {
    const e = await rejection(loadConfig(join(dir, 'nope.cfg')));
    expect(isConfigError(e)).toBe(true);
    expect(e.message).toBe(`the config file does not exist at ${join(dir, 'nope.cfg')}; expected a readable file`);
  });

  it('passes the environment on for JVM flags (process.env by default)', async () => {
    await writeFile(join(dir, 'zoo.cfg'), `dataDir=${dir}\nclientPort=2181\n`);
    const { config } = await loadConfig(join(dir, 'zoo.cfg'), { env: { SERVER_JVMFLAGS: '-Djute.maxbuffer=2048' } });
    expect(config.juteMaxBuffer).toBe(2048);
  });
});
