export {
  DEFAULT_TICK_TIME_MS,
  defaultSessionTimeouts,
  negotiateSessionTimeout,
  resolveSessionTimeouts,
  type SessionTimeoutBounds,
} from './timeouts.js';
export { SessionIdGenerator, formatSessionId, initialSessionId, serverIdOfSession } from './session-id.js';
export { JavaRandom } from './java-random.js';
export { SessionPasswords, ZOOKEEPER_SUPER_SECRET, checkPassword, passwordFor } from './password.js';
export { ExpiryQueue } from './expiry-queue.js';
export {
  SessionTracker,
  type SessionCheck,
  type SessionInfo,
  type SessionTrackerOptions,
} from './session-tracker.js';
export { TouchBatch } from './touch-batch.js';
