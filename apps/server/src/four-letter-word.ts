import { connect } from 'node:net';

/**
 * Sends a four-letter word (`srvr`, `ruok`, …) and returns everything the
 * server writes before it closes the connection, as FourLetterWordMain does.
 * Rejects on connection errors and when nothing completes within `timeoutMs`.
 */
export function sendFourLetterWord(host: string, port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port });
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)));
    // No half-close: the server answers after four bytes and closes, as ZooKeeper does.
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (e) => finish(e));
  });
}

/** The host to reach a server listening on `address`: loopback for a wildcard bind. */
export function contactAddress(address: string): string {
  if (address === '0.0.0.0' || address === '') return '127.0.0.1';
  if (address === '::' || address === '0:0:0:0:0:0:0:0') return '::1';
  return address;
}

/** The `Mode: …` line of a `srvr`/`stat` reply, or undefined. */
export function modeLine(reply: string): string | undefined {
  return reply.split(/\r?\n/).find((l) => l.startsWith('Mode: '))?.trim();
}
