import type { Id } from '@zk/protocol';
import { javaStringHash } from '@zk/datatree';

/** jute's generated Id.hashCode(): 37 * (37 * 17 + scheme.hashCode()) + id.hashCode(). */
function idHash(id: Id): number {
  let r = 17;
  r = (Math.imul(37, r) + javaStringHash(id.scheme)) | 0;
  return (Math.imul(37, r) + javaStringHash(id.id)) | 0;
}

/**
 * The order in which ZooKeeper's ServerCnxn.authInfo (a set over a ConcurrentHashMap) yields its
 * ids, which is the order whoAmI reports them: by bucket (spread hash & (table size - 1)), then by
 * insertion within a bucket. The table starts at 16 and doubles once 3/4 full; the exact order
 * after a resize with colliding buckets is not modelled (a connection rarely has 12 ids).
 */
export function authInfoOrder(ids: readonly Id[]): Id[] {
  let n = 16;
  while (ids.length >= n - (n >>> 2)) n <<= 1;
  const bucketOf = (id: Id): number => {
    const h = idHash(id);
    return ((h ^ (h >>> 16)) & 0x7fffffff) & (n - 1);
  };
  return ids
    .map((id, i) => ({ id, i, b: bucketOf(id) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((e) => e.id);
}
