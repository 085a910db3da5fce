/**
 * Buckets as the services see them. A storage node only needs to know who owns a bucket and whether
 * it is public; the full `Chain` interface extends this, and until a chain is wired in a node can fill
 * it from its configuration (`staticBuckets`).
 */
import { NotFoundError } from '@ddc/core'

export interface BucketInfo {
  id: string
  /** Owner account (AccountId32): the root of authority for the bucket's capabilities. */
  owner: Uint8Array
  /** Public buckets can be read without a capability; writes always need one (or the owner). */
  isPublic: boolean
  /** Cluster the bucket's data lives in (absent when the topology comes from configuration). */
  clusterId?: string
}

export interface BucketDirectory {
  /** Throws NotFoundError (ERR_NOT_FOUND) for an unknown bucket. */
  getBucket(id: string, signal?: AbortSignal): Promise<BucketInfo>
}

/** A directory from a fixed list (node configuration, tests). */
export function staticBuckets(buckets: readonly BucketInfo[]): BucketDirectory {
  const byId = new Map(buckets.map((b) => [b.id, b]))
  return {
    async getBucket(id) {
      const b = byId.get(id)
      if (!b)
        throw new NotFoundError(
          `bucket ${id} is not known to this node; create it on chain or add it to the node's config`,
        )
      return b
    },
  }
}

/**
 * Remembers answers for `ttlMs` so a node does not ask the chain on every request; unknown buckets are
 * not cached (a bucket created a moment ago must become visible at once).
 */
export function cachedBuckets(inner: BucketDirectory, ttlMs = 5000): BucketDirectory {
  const cache = new Map<string, { at: number; value: Promise<BucketInfo> }>()
  return {
    getBucket(id, signal) {
      const hit = cache.get(id)
      if (hit && Date.now() - hit.at < ttlMs) return hit.value
      const value = inner.getBucket(id, signal)
      cache.set(id, { at: Date.now(), value })
      value.catch(() => cache.delete(id))
      return value
    },
  }
}
