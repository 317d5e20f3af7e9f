import type { ServerSettings } from '@zk/testkit';

/**
 * Server settings of the ensemble tests: tickTime 500 (testkit's default) and sessions up to 60 s,
 * so that the load's sessions survive elections on a slow, shared machine.
 */
export const ENSEMBLE_SETTINGS: ServerSettings = { tickTime: 500, maxSessionTimeout: 60_000 };
