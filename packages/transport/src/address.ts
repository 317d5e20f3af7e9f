/**
 * A transport endpoint. For TCP `host` is an IP address or a name; for the
 * in-memory transport it is any label (`'server1'`). `port` is an integer;
 * listening on port 0 asks the transport to pick a free one, and
 * {@link Listener.address} then reports the one it picked.
 */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, with IPv6 hosts in brackets (`[::1]:2181`). */
export function formatAddress(address: Address): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

/**
 * Parses `host:port` or `[v6host]:port` (the inverse of {@link formatAddress}).
 * Throws a `TypeError` for anything else.
 */
export function parseAddress(text: string): Address {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') throw new TypeError(`invalid address: ${text}`);
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon <= 0 || text.indexOf(':') !== colon) throw new TypeError(`invalid address: ${text}`);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText)) throw new TypeError(`invalid port in address: ${text}`);
  const port = Number(portText);
  if (port > 65535) throw new TypeError(`invalid port in address: ${text}`);
  return { host, port };
}

/** True when both addresses name the same host string and port. */
export function sameAddress(a: Address, b: Address): boolean {
  return a.host === b.host && a.port === b.port;
}
