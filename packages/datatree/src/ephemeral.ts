// EphemeralType (server/EphemeralType.java): what a StatPersisted.ephemeralOwner value means.

export const EphemeralType = {
  /** ephemeralOwner 0: a persistent node. */
  VOID: 0,
  /** An ephemeral node owned by a session. */
  NORMAL: 1,
  CONTAINER: 2,
  TTL: 3,
} as const;
export type EphemeralType = (typeof EphemeralType)[keyof typeof EphemeralType];

/** Long.MIN_VALUE marks a container. */
export const CONTAINER_OWNER = -0x8000000000000000n;
/** Largest server id usable when extended types are enabled (high byte 0xff is reserved). */
export const MAX_EXTENDED_SERVER_ID = 0xfe;

const EXTENDED_MASK = -0x100000000000000n; // 0xff00000000000000 as a signed long
const RESERVED_BITS_MASK = 0x00ffff0000000000n;
const EXTENDED_FEATURE_VALUE_MASK = 0x000000ffffffffffn;
/** Largest TTL in ms (about 34 years). */
export const TTL_MAX = EXTENDED_FEATURE_VALUE_MASK;
const EMULATE353_MAX_TTL = 0x0fffffffffffffffn;

export interface EphemeralTypeOptions {
  /** zookeeper.extendedTypesEnabled (default false). */
  extendedTypesEnabled?: boolean;
  /** zookeeper.emulate353TTLNodes (default false): any negative owner other than a container is a TTL node. */
  emulate353TTLNodes?: boolean;
}

/**
 * EphemeralType.get. With extended types on, a high byte of 0xff marks a TTL node (unknown feature
 * bits are reported as NORMAL here where ZooKeeper would throw).
 */
export function ephemeralTypeOf(owner: bigint, extended: boolean, emulate353 = false): EphemeralType {
  if (extended) {
    if (emulate353 && owner < 0n && owner !== CONTAINER_OWNER) return EphemeralType.TTL;
    if ((owner & EXTENDED_MASK) === EXTENDED_MASK) {
      if ((owner & RESERVED_BITS_MASK) === 0n) return EphemeralType.TTL;
      return EphemeralType.NORMAL;
    }
  }
  if (owner === CONTAINER_OWNER) return EphemeralType.CONTAINER;
  return owner === 0n ? EphemeralType.VOID : EphemeralType.NORMAL;
}

export function isValidTtl(ttl: number): boolean {
  return Number.isFinite(ttl) && ttl > 0 && ttl <= Number(TTL_MAX);
}

/** EphemeralType.TTL.toEphemeralOwner: 0xff in the high byte plus the ttl in the low 40 bits. */
export function ttlToEphemeralOwner(ttl: number): bigint {
  if (!isValidTtl(ttl)) throw new RangeError(`ttl must be positive and cannot be larger than: ${TTL_MAX}`);
  return EXTENDED_MASK | BigInt(Math.trunc(ttl));
}

/** The TTL (ms) encoded in an ephemeralOwner of a TTL node. */
export function ttlOfOwner(owner: bigint, emulate353 = false): number {
  if (emulate353 && (owner & EXTENDED_MASK) !== EXTENDED_MASK) return Number(owner & EMULATE353_MAX_TTL);
  return Number(owner & EXTENDED_FEATURE_VALUE_MASK);
}
