// Well-known ids and ACL lists (ZooDefs.Ids) and the permission bits (ZooDefs.Perms).

import { Perms } from '@zk/protocol';
import type { ACL, Id } from './types.js';

export { Perms };

/** world:anyone */
export const ANYONE_ID_UNSAFE: Id = Object.freeze({ scheme: 'world', id: 'anyone' });
/** auth: — stands for the ids the caller authenticated with (addAuth). */
export const AUTH_IDS: Id = Object.freeze({ scheme: 'auth', id: '' });

/** Anyone may do anything (the default for create). */
export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: ANYONE_ID_UNSAFE })]);
/** Every permission for the creator's authenticated ids only. */
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: AUTH_IDS })]);
/** Anyone may read. */
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.READ, id: ANYONE_ID_UNSAFE })]);

/** ZooDefs.Ids, as one object. */
export const Ids: {
  readonly ANYONE_ID_UNSAFE: Id;
  readonly AUTH_IDS: Id;
  readonly OPEN_ACL_UNSAFE: readonly ACL[];
  readonly CREATOR_ALL_ACL: readonly ACL[];
  readonly READ_ACL_UNSAFE: readonly ACL[];
} = Object.freeze({ ANYONE_ID_UNSAFE, AUTH_IDS, OPEN_ACL_UNSAFE, CREATOR_ALL_ACL, READ_ACL_UNSAFE });
