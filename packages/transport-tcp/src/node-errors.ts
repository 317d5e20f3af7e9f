import {
  AddressInUseError,
  ConnectionRefusedError,
  ConnectionResetError,
  DialTimeoutError,
  formatAddress,
  type Address,
} from '@zk/transport';

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a failed `connect` to a transport error; unknown errors pass through unchanged. */
export function mapDialError(err: Error, address: Address): Error {
  switch (codeOf(err)) {
    case 'ECONNREFUSED':
      return new ConnectionRefusedError(`connection refused: ${formatAddress(address)}`, { cause: err });
    case 'ECONNRESET':
      return new ConnectionResetError(`connection reset while dialling ${formatAddress(address)}`, { cause: err });
    case 'ETIMEDOUT':
      return new DialTimeoutError(`dial ${formatAddress(address)} timed out`, { cause: err });
    default:
      return err;
  }
}

/** Maps a failed `listen`; unknown errors pass through unchanged. */
export function mapListenError(err: Error, address: Address): Error {
  if (codeOf(err) === 'EADDRINUSE') {
    return new AddressInUseError(`address already in use: ${formatAddress(address)}`, { cause: err });
  }
  return err;
}

/** Maps an error on an established socket; unknown errors pass through unchanged. */
export function mapSocketError(err: Error): Error {
  switch (codeOf(err)) {
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionResetError(`connection reset (${codeOf(err)})`, { cause: err });
    default:
      return err;
  }
}
