// The recipes' own errors. Everything the server reports stays a @zk/client ZooKeeperError.

/** An acquire or wait did not succeed within its `timeoutMs`. */
export class RecipeTimeoutError extends Error {
  override readonly name = 'RecipeTimeoutError';
}

/**
 * A lock, lease, leadership or queue item held without release() is gone: its session expired
 * (`cause` is the SessionExpiredError), the client was closed, or its node was deleted.
 */
export class LostError extends Error {
  override readonly name = 'LostError';
  constructor(
    message: string,
    readonly path: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A conditional write failed with ConnectionLoss and reading back cannot tell whether it was
 * applied (another writer moved the node on): retrying could apply it twice.
 */
export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
