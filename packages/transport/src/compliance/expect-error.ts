import { expect } from 'vitest';

/** Awaits `promise`, expects it to reject with an error of the given `name` and `code`, returns the error. */
export async function expectRejection(promise: Promise<unknown>, name: string, code: string): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) {
    const value = outcome.value as { destroy?: () => void } | undefined;
    value?.destroy?.();
    expect.fail(`expected a rejection with ${name}, but the promise resolved`);
  }
  const err = outcome.error as Error & { code?: unknown };
  expect(err).toBeInstanceOf(Error);
  expect(err.name).toBe(name);
  expect(err.code).toBe(code);
  return err;
}
