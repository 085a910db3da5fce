/**
 * Where a timeline lives: `replicaSet` from @ddc/cluster (rendezvous hashing of bucket and owner) over
 * the cluster's serving nodes gives the replicas to use now; over all of the cluster's nodes it gives
 * the timeline's "home" — where it lives when every node is healthy. The SDK computes the same two
 * lists from /v1/topology with the same rule (README, "Placement in the SDK").
 */
import type { StorageNode } from '@ddc/chain'
import { replicaSet } from '@ddc/cluster'
import type { NodeHealth } from './health.js'
import type { ClusterView } from './topology.js'

/** A node serves when the chain lists it `active` and the prober has not marked it down. */
export function isServing(node: StorageNode, health: NodeHealth): boolean {
  return node.status === 'active' && health.status !== 'down'
}

export interface Placement {
  /** Ordered replica set over the serving nodes: write to the first, read from any. */
  replicas: StorageNode[]
  /** Ordered replica set over all of the cluster's nodes, health and status ignored. */
  home: StorageNode[]
}

export function placeTimeline(
  cluster: ClusterView,
  bucket: string,
  owner: Uint8Array,
  healthOf: (nodeId: string) => NodeHealth,
): Placement {
  const rf = cluster.replicationFactor
  const serving = cluster.nodes.filter((n) => isServing(n, healthOf(n.id)))
  return {
    replicas: serving.length === 0 ? [] : replicaSet(bucket, owner, serving, rf),
    home: cluster.nodes.length === 0 ? [] : replicaSet(bucket, owner, cluster.nodes, rf),
  }
}

/** The serving nodes of a cluster, in chain order (the ones traversal asks). */
export function servingNodes(cluster: ClusterView, healthOf: (nodeId: string) => NodeHealth): StorageNode[] {
  return cluster.nodes.filter((n) => isServing(n, healthOf(n.id)))
}
