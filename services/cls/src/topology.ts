/**
 * Topology: clusters and their storage nodes as the chain lists them, cached in memory so that every
 * lookup is answered without a chain round trip. The cache refreshes on a period and, when the chain
 * streams finalized blocks, as soon as a finalized block carries an event about clusters, nodes or
 * buckets (DESIGN.md "Cluster, CLS and replication"). Buckets cannot be listed in bulk through `Chain`,
 * so they are read one by one when asked for and kept for a while.
 *
 * Only the `Chain` interface is used: the dev chain and a Substrate node are the same to the CLS.
 */
import type { BlockRef, Bucket, Chain, ChainInfo, StorageNode } from '@ddc/chain'
import { NotFoundError, sha256, toHex, UnavailableError, utf8 } from '@ddc/core'
import type { ClsMetrics } from './metrics.js'

export interface ClusterView {
  id: string
  manager: Uint8Array
  replicationFactor: number
  /** The cluster's nodes in the order the chain lists them (nodes the chain no longer knows are left out). */
  nodes: StorageNode[]
}

export interface TopologySnapshot {
  info: ChainInfo
  clusters: ReadonlyMap<string, ClusterView>
  nodes: ReadonlyMap<string, StorageNode>
  /** Hex sha2-256 of the clusters and nodes (ids, replication factors, endpoints, statuses). */
  hash: string
  /** When this snapshot was read (ms). */
  fetchedAt: number
}

export interface Topology {
  /** The latest snapshot; throws ERR_UNAVAILABLE until the chain has answered once. */
  current(): TopologySnapshot
  /** Reads the chain again (concurrent calls share one read; a call during a read gets a fresh one). */
  refresh(): Promise<TopologySnapshot>
  /** A cluster; an unknown id triggers one refresh (it may have just been created) before ERR_NOT_FOUND. */
  cluster(id: string): Promise<ClusterView>
  /** A bucket from chain, cached for `bucketCacheMs`; ERR_NOT_FOUND when the chain does not know it. */
  bucket(id: string): Promise<Bucket>
  /** The last finalized block seen on the chain's stream. */
  readonly finalized: BlockRef | undefined
  /** Called with each snapshot whose hash differs from the previous one. */
  onChange(listener: (s: TopologySnapshot) => void): void
  close(): void
}

export interface TopologyInit {
  chain: Chain
  refreshIntervalMs?: number
  /** Refresh on finalized blocks that touch topology (default true). */
  followFinalized?: boolean
  bucketCacheMs?: number
  onError?: (err: unknown, during: string) => void
  metrics?: Pick<ClsMetrics, 'topologyRefreshes' | 'topologyChanges'>
  now?: () => number
}

/** Event sections that change what the CLS caches: the dev chain's and Cere's DDC pallets'. */
const TOPOLOGY_EVENT = /^(clusters|nodes|buckets|ddcClusters|ddcNodes|ddcCustomers)\./

function hashOf(clusters: ClusterView[], nodes: StorageNode[]): string {
  const canonical = {
    clusters: clusters
      .map((c) => [c.id, c.replicationFactor, toHex(c.manager), c.nodes.map((n) => n.id)])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    nodes: nodes
      .map((n) => [n.id, n.clusterId ?? null, n.endpoints, n.status, toHex(n.provider)])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
  }
  return toHex(sha256(utf8(JSON.stringify(canonical)))).slice(2)
}

export function createTopology(init: TopologyInit): Topology {
  const { chain } = init
  const now = init.now ?? Date.now
  const bucketCacheMs = init.bucketCacheMs ?? 60_000
  const onError = init.onError ?? (() => {})
  const abort = new AbortController()
  const listeners: ((s: TopologySnapshot) => void)[] = []
  const buckets = new Map<string, { at: number; bucket: Promise<Bucket> }>()
  let snapshot: TopologySnapshot | undefined
  let info: ChainInfo | undefined
  let inflight: Promise<TopologySnapshot> | undefined
  let queued: Promise<TopologySnapshot> | undefined
  let finalized: BlockRef | undefined
  let closed = false

  async function load(): Promise<TopologySnapshot> {
    const signal = abort.signal
    info ??= await chain.info(signal)
    const [clusterList, nodeList] = await Promise.all([chain.listClusters(signal), chain.listNodes(undefined, signal)])
    const nodes = new Map(nodeList.map((n) => [n.id, n]))
    const clusters = clusterList.map((c) => ({
      id: c.id,
      manager: c.manager,
      replicationFactor: c.replicationFactor,
      nodes: c.nodes.map((id) => nodes.get(id)).filter((n): n is StorageNode => n !== undefined),
    }))
    const next: TopologySnapshot = {
      info,
      clusters: new Map(clusters.map((c) => [c.id, c])),
      nodes,
      hash: hashOf(clusters, nodeList),
      fetchedAt: now(),
    }
    const changed = next.hash !== snapshot?.hash
    snapshot = next
    if (changed) {
      init.metrics?.topologyChanges.inc()
      buckets.clear()
      for (const l of listeners) l(next)
    }
    return next
  }

  function refresh(): Promise<TopologySnapshot> {
    if (closed) return Promise.reject(new UnavailableError('the topology cache is closed'))
    if (inflight) {
      // A read already under way may have started before the change the caller saw: read once more after it.
      queued ??= inflight
        .catch(() => undefined)
        .then(() => {
          queued = undefined
          return refresh()
        })
      return queued
    }
    inflight = load()
      .then(
        (s) => {
          init.metrics?.topologyRefreshes.inc({ result: 'ok' })
          return s
        },
        (err) => {
          init.metrics?.topologyRefreshes.inc({ result: 'error' })
          throw err
        },
      )
      .finally(() => {
        inflight = undefined
      })
    return inflight
  }

  const background = (during: string) => {
    refresh().catch((err) => {
      if (!closed) onError(err, during)
    })
  }

  const timer = setInterval(() => background('periodic refresh'), init.refreshIntervalMs ?? 30_000)
  timer.unref()

  async function follow(): Promise<void> {
    let backoffMs = 1000
    while (!closed) {
      try {
        for await (const block of chain.finalizedBlocks({ signal: abort.signal })) {
          backoffMs = 1000
          finalized = { number: block.number, hash: block.hash }
          if (block.events.some((e) => TOPOLOGY_EVENT.test(e.name))) {
            buckets.clear()
            background(`finalized block ${block.number}`)
          }
        }
      } catch (err) {
        if (!closed) onError(err, 'following finalized blocks')
      }
      // The stream ended or failed: the periodic refresh covers the gap; subscribe again, backing off.
      if (!closed) await new Promise((r) => setTimeout(r, backoffMs).unref())
      backoffMs = Math.min(backoffMs * 2, 30_000)
    }
  }
  if (init.followFinalized ?? true) void follow()

  return {
    current() {
      if (!snapshot) throw new UnavailableError('the CLS has not read the topology from the chain yet; retry shortly')
      return snapshot
    },
    refresh,
    async cluster(id) {
      const found = snapshot?.clusters.get(id) ?? (await refresh()).clusters.get(id)
      if (!found) throw new NotFoundError(`cluster ${id} is not on chain`)
      return found
    },
    bucket(id) {
      const hit = buckets.get(id)
      if (hit && now() - hit.at < bucketCacheMs) return hit.bucket
      // Not the caller's signal: the read is shared with whoever asks for the same bucket meanwhile.
      const bucket = chain.getBucket(id, abort.signal)
      const entry = { at: now(), bucket }
      buckets.set(id, entry)
      // Failures (unknown bucket, chain down) are not remembered.
      bucket.catch(() => {
        if (buckets.get(id) === entry) buckets.delete(id)
      })
      return bucket
    },
    get finalized() {
      return finalized
    },
    onChange(listener) {
      listeners.push(listener)
    },
    close() {
      closed = true
      clearInterval(timer)
      abort.abort()
    },
  }
}
