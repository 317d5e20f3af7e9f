// Where the two servers are: the Debian package's ZooKeeper 3.8 and this repository's built zk-ts
// CLI. Environment overrides: ZK_CLASSPATH, ZK_TS_CLI (ZK_JAVA is read by the launcher).

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Repository root: the nearest directory above this module holding nx.json. Found by walking up,
 * so it is also right when this module is bundled into another tool's dist (tools/bench).
 */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(from, '..', '..', '..'); // tools/testkit/src -> ../../..
    dir = up;
  }
}

export function zkTsCliPath(): string {
  return process.env['ZK_TS_CLI'] ?? join(REPO_ROOT, 'apps', 'server', 'dist', 'cli.js');
}

/** The classpath zkEnv.sh uses (zookeeper.jar's manifest pulls in the rest), plus a log binding if present. */
export function zooKeeperClasspath(): string {
  const override = process.env['ZK_CLASSPATH'];
  if (override) return override;
  const parts = ['/etc/zookeeper/conf', '/usr/share/java/zookeeper.jar'];
  // ZooKeeper's jar names no slf4j binding; slf4j-simple gives it one (at the log level passed).
  if (existsSync('/usr/share/java/slf4j-simple.jar')) parts.push('/usr/share/java/slf4j-simple.jar');
  return parts.join(':');
}

export function zooKeeperAvailable(): boolean {
  return existsSync('/usr/share/java/zookeeper.jar') || !!process.env['ZK_CLASSPATH'];
}

export function zkTsAvailable(): boolean {
  return existsSync(zkTsCliPath());
}
