import type { Connection } from '@zk/transport';

/** Records what a connection receives and how it closes. */
export class Recorder {
  readonly chunks: Uint8Array[] = [];
  closeCount = 0;
  closeError: Error | undefined;

  constructor(connection: Connection) {
    connection.onData((chunk) => this.chunks.push(chunk));
    connection.onClose((err) => {
      this.closeCount++;
      this.closeError = err;
    });
  }

  get text(): string {
    return this.chunks.map((c) => new TextDecoder().decode(c)).join('');
  }

  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
