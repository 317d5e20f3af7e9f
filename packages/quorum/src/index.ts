/**
 * @packageDocumentation
 * @zk/quorum — one quorum peer (ZooKeeper's QuorumPeer): drives the pure
 * `@zk/election` and `@zk/zab` cores over a Transport, a Storage and a Clock.
 * See README.md for the driver contract it follows.
 */
export { createQuorumPeer, loadDurableState } from './peer.js';
export type {
  PeerLogger,
  PeerState,
  PeerStateChange,
  PeerStatus,
  PeerType,
  ProposeOutcome,
  QuorumPeer,
  QuorumPeerOptions,
  ReplicatedStateMachine,
  ServerSpec,
} from './types.js';
export { type Clock, type ClockHandle, VirtualClock, settle } from './clock.js';
export { FrameDecoder, FrameError, MAX_FRAME_BYTES, encodeFrame } from './framing.js';
