// A promise-per-request session for the coordinator's own setup and probes (not the hot path).

import type { ClientOpCode, RequestOf } from '@zk/protocol';
import { BenchConnection } from './conn.js';
import type { Endpoint } from './worker-api.js';

export interface Reply {
  err: number;
  /** The reply frame (header + body); valid only until the next read. Copy what you keep. */
  frame: Uint8Array;
  /** Fast-mono ms the reply was read. */
  at: number;
  sentAt: number;
}

export class Session {
  private readonly waiters: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];

  private readonly keepAlive: NodeJS.Timeout;

  private constructor(readonly conn: BenchConnection) {
    this.keepAlive = setInterval(() => conn.keepAlive(3000), 1000);
    this.keepAlive.unref();
    conn.handler = {
      onReply: (_c, _op, err, frame, sentAt, at) => {
        this.waiters.shift()?.resolve({ err, frame: frame.slice(), at, sentAt });
      },
      onClose: () => {
        for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
      },
    };
  }

  static async open(ep: Endpoint, timeoutMs = 30_000): Promise<Session> {
    return new Session(await BenchConnection.open(ep.host, ep.port, { timeoutMs }));
  }

  request<K extends ClientOpCode>(type: K, req: RequestOf<K>): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.conn.send(type, req);
    });
  }

  /** Sends now (requests are otherwise flushed on the next turn). */
  flush(): void {
    this.conn.flush();
  }

  close(): Promise<void> {
    clearInterval(this.keepAlive);
    this.conn.handler = null;
    return this.conn.closeSession();
  }
}
