/**
 * What every role (LOOKING, leader, follower, observer) implements. The node
 * (node.ts) owns the current role and swaps it on state changes.
 */
import type { Zxid } from '@zk/zxid';
import type { RoleView } from './core.js';
import type { ZabMessage } from './messages.js';

export interface RoleHost {
  /** Leave the current role and go back to LOOKING (election). */
  becomeLooking(reason: string): void;
}

export type ProposeResult =
  | { readonly ok: true; readonly zxid: Zxid }
  | { readonly ok: false; readonly reason: 'not-leader' | 'not-established' | 'xid-rollover' };

export interface Role extends RoleView {
  start(): void;
  step(from: number, msg: ZabMessage): void;
  tick(): void;
  /** Something became durable: release held messages, count own acks. */
  onDurable(): void;
  peerDisconnected(sid: number): void;
  /** Leaving the role: close connections, drop held messages. */
  leave(): void;
  propose(payload: Uint8Array): ProposeResult;
  forward(payload: Uint8Array): boolean;
  sync(id: number): boolean;
  snapshotReady(zxid: Zxid, data: Uint8Array): void;
  check(problems: string[]): void;
}

export class Looking implements Role {
  readonly state = 'LOOKING' as const;
  phase() {
    return 'ELECTION' as const;
  }
  epoch(): number {
    return 0;
  }
  leader(): number | null {
    return null;
  }
  serving(): boolean {
    return false;
  }
  constructor(private readonly onStray: (from: number) => void) {}
  start(): void {}
  step(from: number): void {
    // Nobody should talk ZAB to a LOOKING server; close so the peer notices at once.
    this.onStray(from);
  }
  tick(): void {}
  onDurable(): void {}
  peerDisconnected(): void {}
  leave(): void {}
  propose(): ProposeResult {
    return { ok: false, reason: 'not-leader' };
  }
  forward(): boolean {
    return false;
  }
  sync(): boolean {
    return false;
  }
  snapshotReady(): void {}
  check(): void {}
}
