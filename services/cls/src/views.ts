/** From what the CLS holds (chain records, health) to the JSON it answers (./schemas.ts). */
import type { Bucket, StorageNode } from '@ddc/chain'
import { sha256, toAddress, toHex, utf8 } from '@ddc/core'
import type { HealthProber } from './health.js'
import { isServing } from './locate.js'
import type { ClusterView, TopologySnapshot } from './topology.js'

export function nodeView(n: StorageNode, prober: HealthProber, ss58Prefix: number) {
  const health = prober.health(n.id)
  return {
    id: n.id,
    ...(n.clusterId === undefined ? {} : { cluster: n.clusterId }),
    endpoints: n.endpoints,
    endpoint: health.endpoint ?? n.endpoints[0] ?? null,
    status: n.status,
    provider: toAddress(n.provider, ss58Prefix),
    serving: isServing(n, health),
    health,
  }
}

export function clusterDetail(c: ClusterView, prober: HealthProber, ss58Prefix: number) {
  return {
    id: c.id,
    replicationFactor: c.replicationFactor,
    manager: toAddress(c.manager, ss58Prefix),
    nodes: c.nodes.map((n) => nodeView(n, prober, ss58Prefix)),
  }
}

export function bucketView(b: Bucket, ss58Prefix: number) {
  return {
    id: b.id,
    owner: toAddress(b.owner, ss58Prefix),
    isPublic: b.isPublic,
    clusterId: b.clusterId,
    settings: b.settings as Record<string, unknown>,
  }
}

export const PLACEMENT_RULE =
  'For a timeline (bucket, owner): key = frame(utf8(bucket), AccountId32(owner)); a node scores the first 8 bytes ' +
  '(big-endian u64) of sha256(frame(utf8("ddc:v1:placement"), key, utf8(node.id))); nodes sorted by score ' +
  'descending (ties: lower id first), the first replicationFactor are the replica set (@ddc/cluster replicaSet). ' +
  'replicas: over nodes with serving = true; home: over all nodes of the cluster. frame(a, b, …) is the ' +
  'concatenation of u32 big-endian length ‖ bytes for each part.'

/**
 * The document the SDK caches to place timelines itself. It holds only what placement depends on
 * (no latencies, no times), so its ETag — a hash of the document — changes only when placement may.
 */
export function topologyDocument(s: TopologySnapshot, prober: HealthProber) {
  const body = {
    chain: { name: s.info.name, genesisHash: s.info.genesisHash, ss58Prefix: s.info.ss58Prefix },
    placement: { algorithm: 'rendezvous-sha256-v1' as const, rule: PLACEMENT_RULE },
    clusters: [...s.clusters.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((c) => ({
        id: c.id,
        replicationFactor: c.replicationFactor,
        nodes: c.nodes.map((n) => {
          const health = prober.health(n.id)
          return {
            id: n.id,
            endpoints: n.endpoints,
            status: n.status,
            health: health.status,
            serving: isServing(n, health),
          }
        }),
      })),
  }
  const etag = `"${toHex(sha256(utf8(JSON.stringify(body)))).slice(2, 34)}"`
  return { etag, ...body }
}
