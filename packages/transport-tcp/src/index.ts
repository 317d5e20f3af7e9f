/**
 * @packageDocumentation
 * TCP transport for zk-ts over `node:net`: Nagle off by default, writes of one
 * event-loop turn flushed as one batch, Node errors mapped to the typed errors
 * of `@zk/transport`.
 */
export { tcpTransport } from './tcp-transport.js';
export type { TcpTransportOptions } from './options.js';
