// Loopback helpers: a free port, four-letter words, and the readiness probe (ruok, then a real
// handshake whose session is closed again).

import { createServer as createNetServer, connect as netConnect } from 'node:net';

/** A port that was free a moment ago on `host` (bind 0, read, close). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('no port'));
        return;
      }
      const { port } = addr;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs `start` up to three times while it fails with an error `retryable` accepts: a port found
 * free by `freePort` may be taken by someone else before the server binds it.
 */
export async function retryOnNewPorts<T>(start: () => Promise<T>, retryable: (e: unknown) => boolean = () => true): Promise<T> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start();
    } catch (e) {
      lastErr = e;
      if (!retryable(e)) throw e;
    }
  }
  throw lastErr;
}

/**
 * Send a four-letter word and collect everything until the server closes. Rejects when the
 * connection fails; after `timeoutMs` resolves with what has arrived so far.
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((res, rej) => {
    const sock = netConnect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      res(Buffer.concat(chunks).toString('utf8'));
    }, timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => {
      clearTimeout(timer);
      sock.destroy();
      rej(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      res(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * Readiness: the port accepts a `ruok`, and then a full handshake succeeds; the probe session is
 * closed with closeSession, so that no session is left to expire later and disturb the zxid
 * sequence.
 */
export async function probeReady(host: string, port: number): Promise<boolean> {
  const r = await fourLetterWord(host, port, 'ruok', 2000).catch(() => null);
  if (r === null) return false; // refused: not listening yet
  // ZooKeeper answers imok as soon as its socket listens, before the database is loaded and
  // requests are served, so a real handshake confirms readiness either way.
  return handshakeProbe(host, port);
}

/** Minimal hand-encoded ConnectRequest / closeSession, independent of @zk/protocol. */
function handshakeProbe(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const sock = netConnect({ host, port });
    let buf = Buffer.alloc(0);
    let stage = 0;
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      res(ok);
    };
    const timer = setTimeout(() => done(false), 3000);
    sock.on('connect', () => {
      const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + 16 + 1);
      let o = 0;
      body.writeInt32BE(0, o); o += 4; // protocolVersion
      body.writeBigInt64BE(0n, o); o += 8; // lastZxidSeen
      body.writeInt32BE(30000, o); o += 4; // timeOut
      body.writeBigInt64BE(0n, o); o += 8; // sessionId
      body.writeInt32BE(16, o); o += 4; // passwd length
      o += 16;
      body.writeUInt8(0, o); // readOnly
      const len = Buffer.alloc(4);
      len.writeInt32BE(body.length);
      sock.write(Buffer.concat([len, body]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4) return;
      const n = buf.readInt32BE(0);
      if (buf.length < 4 + n) return;
      if (stage === 0) {
        stage = 1;
        buf = buf.subarray(4 + n);
        const close = Buffer.alloc(12);
        close.writeInt32BE(8, 0);
        close.writeInt32BE(1, 4); // xid
        close.writeInt32BE(-11, 8); // closeSession
        sock.write(close);
      } else {
        done(true);
      }
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(stage === 1));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last `lines` lines of `text`. */
export function tail(text: string, lines: number): string {
  const all = text.split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}
