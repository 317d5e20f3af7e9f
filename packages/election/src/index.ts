/**
 * @packageDocumentation
 * Fast Leader Election (ZooKeeper's FastLeaderElection) as a pure,
 * deterministic state machine, plus pluggable quorum verifiers.
 * See README.md for the driver contract.
 */
export {
  Election,
  type ElectionConfig,
  type Decision,
  type Ready,
  type ElectionStatus,
  type RoundData,
} from './election.js';
export {
  type Notification,
  type Envelope,
  type NotificationWire,
  NOTIFICATION_WIRE_VERSION,
  encodeNotification,
  decodeNotification,
  formatNotification,
  formatEnvelope,
} from './notification.js';
export {
  type ServerState,
  type DecidedState,
  type Vote,
  type RoundVote,
  type RecordedVote,
  SERVER_STATES,
  NO_LEADER,
  NULL_VOTE,
  compareVotes,
  isBetterVote,
  sameVote,
  formatVote,
} from './vote.js';
export { type QuorumVerifier, majorityQuorum, hierarchicalQuorum } from './quorum.js';
export {
  type ElectionTimings,
  ZK_FINALIZE_WAIT_MS,
  ZK_MIN_NOTIFICATION_INTERVAL_MS,
  ZK_MAX_NOTIFICATION_INTERVAL_MS,
  electionTimingsForTick,
  nextNotificationInterval,
} from './backoff.js';
export { ElectionError, ElectionInvariantError, MalformedNotificationError } from './errors.js';
