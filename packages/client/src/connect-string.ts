// "host1:2181,host2:2181/app" -> hosts + chroot (ZooKeeper's ConnectStringParser rules).

import type { Address } from '@zk/transport';
import { pathProblem } from './paths.js';

export const DEFAULT_PORT = 2181;

export interface ConnectString {
  readonly hosts: readonly Address[];
  /** The chroot without a trailing slash, '' when there is none (or it is "/"). */
  readonly chroot: string;
}

function parseHost(entry: string): Address {
  let host: string;
  let portText: string | undefined;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) throw new TypeError(`invalid host in connect string: ${entry}`);
    host = entry.slice(1, close);
    const rest = entry.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new TypeError(`invalid host in connect string: ${entry}`);
      portText = rest.slice(1);
    }
  } else {
    const colon = entry.lastIndexOf(':');
    if (colon >= 0 && entry.indexOf(':') === colon) {
      host = entry.slice(0, colon);
      portText = entry.slice(colon + 1);
    } else {
      host = entry;
    }
  }
  if (host === '') throw new TypeError(`invalid host in connect string: ${entry}`);
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw new TypeError(`invalid port in connect string: ${entry}`);
    }
    port = Number(portText);
  }
  return { host, port };
}

/** Parses a connect string; throws TypeError for an empty host list or a bad chroot. */
export function parseConnectString(text: string): ConnectString {
  let hostPart = text.trim();
  let chroot = '';
  const slash = hostPart.indexOf('/');
  if (slash >= 0) {
    const path = hostPart.slice(slash);
    hostPart = hostPart.slice(0, slash);
    if (path.length > 1) {
      const problem = pathProblem(path);
      if (problem !== undefined) throw new TypeError(`invalid chroot in connect string: ${problem}`);
      chroot = path;
    }
  }
  const hosts = hostPart
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')
    .map(parseHost);
  if (hosts.length === 0) throw new TypeError('A HostProvider may not be empty!');
  return { hosts, chroot };
}
