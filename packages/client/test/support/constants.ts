/** ephemeralOwner of a container node (Long.MIN_VALUE). */
export const CONTAINER_EPHEMERAL_OWNER_FOR_TEST = -0x8000000000000000n;
/** The high byte of a TTL node's ephemeralOwner (EphemeralType: 0xff, read as a signed long). */
export const TTL_OWNER_HIGH_BYTE = 0xffn;
