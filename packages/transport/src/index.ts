/**
 * @packageDocumentation
 * Transport, Listener and Connection interfaces shared by every zk-ts
 * transport, the typed errors they raise, and small address helpers. The
 * compliance suite lives in the `@zk/transport/compliance` subpath.
 */
export { type Address, formatAddress, parseAddress, sameAddress } from './address.js';
export type { Connection, DataHandler, EndHandler, CloseHandler, DrainHandler } from './connection.js';
export type { Listener } from './listener.js';
export {
  type Transport,
  type ConnectionHandler,
  type DialOptions,
  transportSymbol,
  isTransport,
} from './transport.js';
export {
  type TransportErrorCode,
  TransportError,
  ConnectionRefusedError,
  ConnectionResetError,
  ConnectionClosedError,
  DialTimeoutError,
  AbortError,
  AddressInUseError,
  isTransportError,
} from './errors.js';
