/**
 * Placement: the ordered replica set of a timeline, by rendezvous (highest-random-weight) hashing of
 * (bucket, owner) over a cluster's healthy nodes. Deterministic and coordination-free: the CLS, the
 * storage nodes and the SDK (from cached topology) all compute the same answer, and adding or removing
 * a node moves only the timelines whose top-RF set it enters or leaves.
 */
import { frame, InvalidInputError, sha256, toHex, utf8 } from '@ddc/core'

export interface PlacementNode {
  /** Stable node id (its public key or on-chain id); the score depends on this only. */
  id: string
}

const CONTEXT = utf8('ddc:v1:placement')

/** 64-bit score of a node for a timeline key; higher wins. */
export function score(timelineKey: Uint8Array, nodeId: string): bigint {
  const h = sha256(frame(CONTEXT, timelineKey, utf8(nodeId)))
  return new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0)
}

/** The key placement hashes: bucket id and owner AccountId32, framed. */
export function timelineKey(bucket: string, owner: Uint8Array): Uint8Array {
  return frame(utf8(bucket), owner)
}

/** Orders nodes by score for the timeline and returns the first `replicationFactor` (all if fewer). */
export function replicaSet<N extends PlacementNode>(
  bucket: string,
  owner: Uint8Array,
  nodes: readonly N[],
  replicationFactor: number,
): N[] {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1)
    throw new InvalidInputError('replication factor must be a positive integer')
  const key = timelineKey(bucket, owner)
  const ids = new Set<string>()
  for (const n of nodes) {
    if (ids.has(n.id)) throw new InvalidInputError(`node id ${n.id} appears twice in the cluster`)
    ids.add(n.id)
  }
  return nodes
    .map((n) => ({ n, s: score(key, n.id) }))
    .sort((a, b) => (a.s === b.s ? (a.n.id < b.n.id ? -1 : 1) : a.s > b.s ? -1 : 1))
    .slice(0, replicationFactor)
    .map((x) => x.n)
}

/** A short, stable label for logs and metrics (never used for placement). */
export const timelineLabel = (bucket: string, owner: Uint8Array): string => `${bucket}/${toHex(owner).slice(2, 10)}`
