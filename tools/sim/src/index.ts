/**
 * @packageDocumentation
 * @zk/sim — the seeded deterministic simulator: whole ensembles of @zk/quorum
 * peers with a DataTree state machine, faults chosen by the seed, safety
 * checkers after every step and a liveness phase. Any seed replays exactly.
 */
export { runSimulation, type SimOptions, type SimResult } from './sim.js';
export { runServerSimulation, type ServerSimOptions, type ServerSimResult, type ServerFault } from './server-sim.js';
export { Prng } from './prng.js';
export { WireConn, type WireReply, type WireHandlers } from './wire.js';
export { TreeMachine, type MachineObserver } from './machine.js';
