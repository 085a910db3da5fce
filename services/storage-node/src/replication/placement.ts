/**
 * A timeline's replicas as this node sees them: `replicaSet` from @ddc/cluster — the function the
 * CLS and the SDK use — over the cluster's healthy nodes (`serving`, in order: the first accepts
 * writes) and over all of them (`home`: where the timeline lives when every node is up; its size
 * bounds the write quorum).
 */
import { replicaSet } from '@ddc/cluster'
import type { TimelineRef } from '../store/types.js'
import type { PeerHealth } from './health.js'
import type { ClusterNodes, PeerNode } from './topology.js'

export interface Placement {
  serving: PeerNode[]
  home: PeerNode[]
  /** Acknowledgements needed: min(write quorum, size of the home set). */
  quorum: number
}

export function placeTimeline(
  cluster: ClusterNodes,
  health: PeerHealth,
  ref: TimelineRef,
  writeQuorum: number,
): Placement {
  const rf = cluster.replicationFactor
  const home = replicaSet(ref.bucket, ref.owner, cluster.nodes, rf)
  const up = cluster.nodes.filter((n) => health.isUp(n.id))
  const serving = up.length ? replicaSet(ref.bucket, ref.owner, up, rf) : []
  return { serving, home, quorum: Math.min(writeQuorum, home.length) }
}
