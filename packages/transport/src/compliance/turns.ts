/**
 * Lets `count` turns of the event loop pass. Used only to give a transport the
 * chance to misbehave (a second close event, late data), never to wait for an
 * expected event: those are awaited directly.
 */
export async function turns(count = 20): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
