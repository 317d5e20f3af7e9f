import { ConfigError } from './errors.js';
import type { PeerType, QuorumPeerAddress, QuorumServerConfig } from './types.js';

/** Java's `String.split(regex)` drops trailing empty strings; ZooKeeper relies on that. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Splits `host:port[:…]` where host may be a bracketed IPv6 literal
 * (`[::1]:2888:3888`), as ZooKeeper's `ConfigUtils.getHostAndPort` does. The
 * host comes back without brackets. Returns undefined on a malformed bracket.
 */
export function splitHostAndPorts(s: string): string[] | undefined {
  if (!s.startsWith('[')) return javaSplit(s, ':');
  const close = s.indexOf(']');
  if (close < 0) return undefined;
  const host = s.slice(1, close);
  const rest = s.slice(close + 1);
  if (rest === '') return [host];
  if (!rest.startsWith(':') || rest.length === 1) return undefined;
  return [host, ...javaSplit(rest.slice(1), ':')];
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
export function parseJavaInt(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) return undefined;
  return n;
}

function parsePort(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = parseJavaInt(s.trim());
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

export const SERVER_LINE_FORMAT =
  'host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort] ' +
  '(IPv6 hosts in brackets, e.g. [::1]:2888:3888;2181)';

export interface ServerLineContext {
  readonly key: string;
  readonly line?: number;
  readonly file?: string;
  readonly multiAddressEnabled: boolean;
}

/**
 * Parses the value of a `server.N` line. `id` must already be validated.
 * Throws ConfigError naming the key for anything ZooKeeper would refuse, and
 * also for ports outside 1..65535 and empty host names.
 */
export function parseServerLine(id: number, value: string, ctx: ServerLineContext): QuorumServerConfig {
  const where = { key: ctx.key, value, ...(ctx.line !== undefined ? { line: ctx.line } : {}), ...(ctx.file !== undefined ? { file: ctx.file } : {}) };
  const bad = (problem: string, expected: string = SERVER_LINE_FORMAT): ConfigError =>
    new ConfigError(problem, { ...where, expected });

  const serverClient = javaSplit(value, ';');
  if (serverClient.length > 2) throw bad('more than one ";"');

  let clientPort: number | undefined;
  let clientPortAddress: string | undefined;
  const clientPart = serverClient[1]?.trim();
  if (clientPart !== undefined && clientPart !== '') {
    const parts = splitHostAndPorts(clientPart);
    if (parts === undefined || parts.length > 2 || parts.length === 0) {
      throw bad(`malformed client address "${clientPart}"`, 'clientPort or clientHost:clientPort after ";"');
    }
    clientPort = parsePort(parts[parts.length - 1]);
    if (clientPort === undefined) {
      throw bad(`bad client port "${parts[parts.length - 1] ?? ''}"`, 'a client port 1..65535 after ";"');
    }
    clientPortAddress = parts.length === 2 ? parts[0]!.trim() : '0.0.0.0';
    if (clientPortAddress === '') throw bad('empty client host', 'clientHost:clientPort or just clientPort after ";"');
  }

  const serverPart = serverClient[0] ?? '';
  const addressTexts = serverPart.split('|');
  if (addressTexts.length > 1 && !ctx.multiAddressEnabled) {
    throw bad('several "|"-separated addresses', 'a single address, or multiAddress.enabled=true');
  }

  const addresses: QuorumPeerAddress[] = [];
  let type: PeerType | undefined;
  for (const text of addressTexts) {
    const parts = splitHostAndPorts(text.trim());
    if (parts === undefined || parts.length < 3 || parts.length > 4) throw bad('malformed server address');
    const host = parts[0]!.trim();
    if (host === '') throw bad('empty host name');
    const quorumPort = parsePort(parts[1]);
    if (quorumPort === undefined) throw bad(`bad quorum port "${parts[1]!}"`, 'a quorum port 1..65535 (the second field)');
    const electionPort = parsePort(parts[2]);
    if (electionPort === undefined) {
      throw bad(`bad election port "${parts[2]!}"`, 'an election port 1..65535 (the third field)');
    }
    if (quorumPort === electionPort) {
      throw bad('the same port for quorum and election', 'two different ports, e.g. host:2888:3888');
    }
    if (parts.length === 4) {
      const t = parts[3]!.trim().toLowerCase();
      if (t !== 'participant' && t !== 'observer') {
        throw bad(`unknown peer type "${parts[3]!}"`, '"participant" or "observer" as the fourth field');
      }
      if (type !== undefined && type !== t) {
        throw bad('different peer types for one server', 'the same type on every "|"-separated address');
      }
      type = t;
    }
    addresses.push({ host, quorumPort, electionPort });
  }
  const first = addresses[0]!;
  return {
    id,
    host: first.host,
    quorumPort: first.quorumPort,
    electionPort: first.electionPort,
    addresses,
    type: type ?? 'participant',
    ...(clientPort !== undefined ? { clientPort, clientPortAddress: clientPortAddress! } : {}),
  };
}
