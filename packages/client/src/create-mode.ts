// CreateMode flags, the opcode each mode is created with, and the client-side checks ZooKeeper's
// Java client makes before sending a create.

import { CreateMode, OpCode } from '@zk/protocol';
import { OPEN_ACL_UNSAFE } from './acl.js';
import { InvalidACLError } from './errors.js';
import { validatePath } from './paths.js';
import type { ACL, CreateModeName, Data } from './types.js';

/** Largest TTL (EphemeralType.TTL.maxValue(): the low 40 bits of an ephemeralOwner). */
export const MAX_TTL_MS = 0xffffffffff;

const NAMES: readonly CreateModeName[] = [
  'PERSISTENT',
  'EPHEMERAL',
  'PERSISTENT_SEQUENTIAL',
  'EPHEMERAL_SEQUENTIAL',
  'CONTAINER',
  'PERSISTENT_WITH_TTL',
  'PERSISTENT_SEQUENTIAL_WITH_TTL',
];

/** The CreateMode flag for a mode name or number; throws TypeError for anything else. */
export function createModeFlag(mode: CreateModeName | number | undefined): number {
  if (mode === undefined) return CreateMode.PERSISTENT;
  if (typeof mode === 'number') {
    if (!Number.isInteger(mode) || mode < 0 || mode >= NAMES.length) throw new TypeError(`Received an invalid flag value: ${mode} to convert to a CreateMode`);
    return mode;
  }
  const flag = NAMES.indexOf(mode);
  if (flag < 0) throw new TypeError(`invalid create mode: ${String(mode)}`);
  return flag;
}

export function createModeName(flag: number): CreateModeName {
  return NAMES[flag] ?? 'PERSISTENT';
}

export function isSequential(flag: number): boolean {
  return flag === CreateMode.PERSISTENT_SEQUENTIAL || flag === CreateMode.EPHEMERAL_SEQUENTIAL || flag === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

export function isTtl(flag: number): boolean {
  return flag === CreateMode.PERSISTENT_WITH_TTL || flag === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

export interface CreateParameters {
  readonly flags: number;
  readonly opCode: number;
  readonly acl: ACL[];
}

/** Checks a create the way ZooKeeper.create does and picks its opcode (create2, createContainer or createTTL). */
export function createParameters(path: string, mode: CreateModeName | number | undefined, acl: readonly ACL[] | undefined, ttl: number | undefined): CreateParameters {
  const flags = createModeFlag(mode);
  validatePath(path, isSequential(flags));
  if (isTtl(flags)) {
    if (ttl === undefined || !(ttl > 0) || ttl > MAX_TTL_MS) {
      throw new TypeError(`ttl must be positive and cannot be larger than: ${MAX_TTL_MS}`);
    }
  } else if (ttl !== undefined && ttl >= 0) {
    throw new TypeError(`ttl not valid for mode: ${createModeName(flags)}`);
  }
  const list = acl ?? OPEN_ACL_UNSAFE;
  if (list.length === 0) throw new InvalidACLError({ path, op: 'create' });
  const opCode = flags === CreateMode.CONTAINER ? OpCode.createContainer : isTtl(flags) ? OpCode.createTTL : OpCode.create2;
  return { flags, opCode, acl: list.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } })) };
}

/** Znode data as bytes: strings are UTF-8, null stays null. */
export function toBytes(data: Data | undefined): Uint8Array | null {
  if (data === null || data === undefined) return null;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return data;
}
