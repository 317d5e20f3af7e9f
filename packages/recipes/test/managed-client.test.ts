// ManagedClient: Curator's connection states, and a new session after an expiry.

import { describe, expect, inject, it } from 'vitest';
import { asManaged, type ConnectionState } from '../src/index.js';
import { rejection, until, useServer } from './support/harness.js';

describe.each(inject('servers'))('managed client against $name', (server) => {
  const h = useServer(server);

  it('reports SUSPENDED / RECONNECTED on a cut, LOST / RECONNECTED with a new session on expiry, then CLOSED', async () => {
    const managed = await h.managed();
    const states: ConnectionState[] = [];
    managed.onStateChange((state) => states.push(state));
    expect(managed.state).toBe('CONNECTED');
    const first = managed.client;
    const session = first.sessionId;

    h.proxy(first).cut();
    await until(() => states.length === 2, 'the reconnection');
    expect(states).toEqual(['SUSPENDED', 'RECONNECTED']);
    expect(managed.client.sessionId).toBe(session);

    await h.expire(first);
    await until(() => states.length === 5, 'the new session');
    expect(states.slice(2)).toEqual(['SUSPENDED', 'LOST', 'RECONNECTED']);
    expect(managed.client).not.toBe(first);
    expect(managed.client.sessionId).not.toBe(session);
    expect(first.expired).toBe(true);
    expect(await managed.connected()).toBe(managed.client);

    await managed.close();
    expect(states.at(-1)).toBe('CLOSED');
    await expect(managed.connected()).rejects.toThrow(/CLOSED/);
  });

  it('a plain client seen as managed: LOST is final', async () => {
    const zk = await h.client();
    const view = asManaged(zk);
    expect(asManaged(zk)).toBe(view);
    expect(view.isConnected).toBe(true);
    const blocked = h.proxy(zk);
    blocked.block();
    blocked.cut();
    await until(() => view.state === 'SUSPENDED', 'the suspension');
    expect(await rejection(view.connected({ signal: AbortSignal.abort('no wait') }))).toBe('no wait');
    blocked.unblock();
    await view.connected({ timeoutMs: 10_000 });
    await h.expire(zk);
    await until(() => view.state === 'LOST', 'the expiry');
    await expect(view.connected()).rejects.toThrow(/LOST/);
  });
});
