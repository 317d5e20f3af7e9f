// Asks a server whether it serves writes: the `isro` four-letter word answers "rw" or "ro"
// (what ZooKeeper's client does while connected to a read-only server).

import type { Address, Transport } from '@zk/transport';
import type { ClientClock } from './clock.js';

/** "rw", "ro", or null when the server could not be asked within `timeoutMs`. */
export async function probeReadWrite(transport: Transport, address: Address, clock: ClientClock, timeoutMs: number): Promise<string | null> {
  let conn;
  try {
    conn = await transport.dial(address, { timeoutMs });
  } catch {
    return null;
  }
  const c = conn;
  return new Promise<string | null>((resolve) => {
    let text = '';
    const timer = clock.setTimeout(() => {
      c.destroy();
      resolve(null);
    }, timeoutMs);
    c.onData((chunk) => {
      text += Buffer.from(chunk).toString('latin1');
    });
    c.onClose(() => {
      clock.clearTimeout(timer);
      const line = text.split('\n')[0]?.trim() ?? '';
      resolve(line === '' ? null : line);
    });
    c.write(Buffer.from('isro', 'latin1'));
    c.end();
  });
}
