/**
 * @packageDocumentation
 * @zk/sim — the seeded deterministic simulator: whole ensembles of @zk/quorum
 * peers with a DataTree state machine, faults chosen by the seed, safety
 * checkers after every step and a liveness phase. Any seed replays exactly.
 */
export { runSimulation, type SimOptions, type SimResult } from './sim.js';
export { Prng } from './prng.js';
export { TreeMachine, type MachineObserver } from './machine.js';
