import * as net from 'node:net';
import {
  AbortError,
  DialTimeoutError,
  formatAddress,
  transportSymbol,
  type Address,
  type Connection,
  type ConnectionHandler,
  type DialOptions,
  type Listener,
  type Transport,
} from '@zk/transport';
import { mapDialError, mapListenError } from './node-errors.js';
import { resolveOptions, type ResolvedTcpOptions, type TcpTransportOptions } from './options.js';
import { TcpConnection } from './tcp-connection.js';
import { TcpListener } from './tcp-listener.js';

class TcpTransport implements Transport {
  readonly [transportSymbol] = true as const;
  readonly [Symbol.toStringTag] = '@zk/transport-tcp';
  readonly #options: ResolvedTcpOptions;

  constructor(options: ResolvedTcpOptions) {
    this.#options = options;
  }

  listen(address: Address, onConnection: ConnectionHandler): Promise<Listener> {
    const options = this.#options;
    return new Promise<Listener>((resolve, reject) => {
      const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
      let listener: TcpListener | undefined;
      server.on('connection', (socket: net.Socket) => {
        if (listener === undefined) {
          socket.destroy();
          return;
        }
        this.#configure(socket);
        const connection = new TcpConnection(socket, options.highWaterMark, listener.track());
        onConnection(connection);
      });
      const onListenError = (err: Error): void => {
        reject(mapListenError(err, address));
      };
      server.once('error', onListenError);
      server.listen({ host: address.host, port: address.port, backlog: options.backlog }, () => {
        server.off('error', onListenError);
        // Errors after this point come from accept(); the failed connection is
        // simply not delivered and the listener keeps going.
        server.on('error', () => {});
        listener = new TcpListener(server);
        resolve(listener);
      });
    });
  }

  dial(address: Address, dialOptions: DialOptions = {}): Promise<Connection> {
    const { signal, timeoutMs } = dialOptions;
    return new Promise<Connection>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new AbortError(`dial ${formatAddress(address)} aborted`));
        return;
      }
      const socket = net.connect({ host: address.host, port: address.port, allowHalfOpen: true });
      let timer: NodeJS.Timeout | undefined;

      const settle = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('connect', onConnect);
        socket.off('error', onError);
      };
      const fail = (err: Error): void => {
        settle();
        socket.on('error', () => {});
        socket.destroy();
        reject(err);
      };
      const onConnect = (): void => {
        settle();
        this.#configure(socket);
        resolve(new TcpConnection(socket, this.#options.highWaterMark));
      };
      const onError = (err: Error): void => fail(mapDialError(err, address));
      const onAbort = (): void => fail(new AbortError(`dial ${formatAddress(address)} aborted`));

      socket.once('connect', onConnect);
      socket.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timer = setTimeout(
          () => fail(new DialTimeoutError(`dial ${formatAddress(address)} timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
      }
    });
  }

  #configure(socket: net.Socket): void {
    socket.setNoDelay(this.#options.noDelay);
    if (this.#options.keepAlive) socket.setKeepAlive(true, this.#options.keepAliveInitialDelayMs);
  }
}

/**
 * Creates a TCP {@link Transport} over `node:net`.
 *
 * @example
 * const transport = tcpTransport();
 * const listener = await transport.listen({ host: '0.0.0.0', port: 2181 }, (conn) => {
 *   conn.onData((chunk) => conn.write(chunk));
 * });
 */
export function tcpTransport(options?: TcpTransportOptions): Transport {
  return new TcpTransport(resolveOptions(options));
}
