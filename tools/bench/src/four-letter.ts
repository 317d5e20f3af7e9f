// Four-letter words (srvr) for a server-side cross-check of the load generator's counts.

import { connect } from 'node:net';

export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`${word}: no answer from ${host}:${port}`));
    }, timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The "Received: N" packet counter of a `srvr` answer (ZooKeeper and zk-ts print it alike). */
export function receivedFromSrvr(text: string): number {
  const m = /^Received:\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}
