import type { QuorumServerConfig } from './config/index.js';

/**
 * What an ensemble member writes into /zookeeper/config (QuorumVerifier.toString): one
 * `server.N=host:quorumPort:electionPort:role[;clientHost:clientPort]` line per member in id
 * order — the client address only when the server line gave it — then `version=<hex>`
 * (0 for a static config), with no trailing newline.
 */
export function configNodeText(servers: readonly QuorumServerConfig[], version = 0n): string {
  const lines = [...servers]
    .sort((a, b) => a.id - b.id)
    .map((s) => {
      const peers = s.addresses.map((a) => `${hostString(a.host)}:${a.quorumPort}:${a.electionPort}`).join('|');
      const client = s.clientPort !== undefined ? `;${hostString(s.clientPortAddress ?? '0.0.0.0')}:${s.clientPort}` : '';
      return `server.${s.id}=${peers}:${s.type}${client}`;
    });
  lines.push(`version=${version.toString(16)}`);
  return lines.join('\n');
}

/** IPv6 literals in brackets, as ZooKeeper's delimitedHostString writes them. */
function hostString(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
