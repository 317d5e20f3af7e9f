/**
 * @packageDocumentation
 * ZAB (ZooKeeper Atomic Broadcast) as ZooKeeper implements it, as a pure,
 * deterministic state machine: discovery, synchronisation (DIFF/TRUNC/SNAP)
 * and broadcast, for leader, follower and observer roles. It replicates opaque
 * transactions in zxid order; see README.md for the I/O contract.
 */
export { createZabNode, type ZabNode, type ZabStatus } from './node.js';
export { type ZabConfig, type LearnerType, DEFAULT_COMMIT_LOG_COUNT } from './config.js';
export { type DurableState, EMPTY_DURABLE_STATE } from './storage.js';
export {
  type Ready,
  type PersistOp,
  type Outbound,
  type Commit,
  type StateChange,
  type ForwardedRequest,
  type SessionTouches,
  type SyncCompletion,
  type LogEntry,
  type ServerState,
  type ZabPhase,
} from './ready.js';
export {
  type ZabMessage,
  type ZabMessageType,
  type PacketTypeName,
  type FollowerInfoMessage,
  type LeaderInfoMessage,
  type AckEpochMessage,
  type DiffMessage,
  type TruncMessage,
  type SnapMessage,
  type NewLeaderMessage,
  type AckMessage,
  type UpToDateMessage,
  type ProposalMessage,
  type CommitMessage,
  type InformMessage,
  type PingMessage,
  type RequestMessage,
  type SyncMessage,
  PACKET_TYPE,
  ZAB_PROTOCOL_VERSION,
  packetTypeOf,
  formatMessage,
} from './messages.js';
export { type QuorumVerifier, majorityQuorum } from './quorum.js';
export { type ProposeResult } from './role.js';
export { type LearnerStatus } from './leader.js';
export { type StateMachine } from './state-machine.js';
export { ZabProtocolError, ZabInvariantError, ZabUsageError } from './errors.js';
