import { expect, it } from 'vitest';
import { text, utf8 } from './bytes.js';
import type { Harness } from './harness.js';
import { Probe } from './probe.js';
import { expectRejection } from './expect-error.js';

export function dialCases(h: () => Harness): void {
  it('rejects a dial to a closed port with ConnectionRefusedError', async () => {
    const { listener } = await h().listen();
    const address = listener.address;
    await listener.close();
    await expectRejection(h().dial(address), 'ConnectionRefusedError', 'ECONNREFUSED');
  });

  it('rejects a dial with an already aborted signal with AbortError', async () => {
    const { listener } = await h().listen();
    const controller = new AbortController();
    controller.abort();
    await expectRejection(h().dial(listener.address, { signal: controller.signal }), 'AbortError', 'ABORT_ERR');
  });

  it('rejects a pending dial with AbortError when its signal aborts', async () => {
    const { listener } = await h().listen();
    const controller = new AbortController();
    const dialing = h().dial(listener.address, { signal: controller.signal });
    controller.abort();
    await expectRejection(dialing, 'AbortError', 'ABORT_ERR');
  });

  it('stops accepting once the listener closes, but keeps accepted connections open', async () => {
    const { listener, client, server } = await h().pair();
    const serverProbe = new Probe(server);
    serverProbe.onEachChunk((chunk) => server.write(chunk));
    await listener.close();
    await expectRejection(h().dial(listener.address), 'ConnectionRefusedError', 'ECONNREFUSED');
    const clientProbe = new Probe(client);
    client.write(utf8('still here'));
    await clientProbe.waitForBytes(10);
    expect(text(clientProbe.received())).toBe('still here');
    expect(client.closed).toBe(false);
    await expect(listener.close()).resolves.toBeUndefined();
  });
}
