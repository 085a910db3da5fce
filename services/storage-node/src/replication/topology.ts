/**
 * Who this node's peers are: the nodes of its cluster and the cluster's replication factor, read
 * through the `Chain` interface (the node's own entry names its cluster; the cluster lists its nodes
 * and their endpoints), or from a static peer list when no chain is configured. Node ids are the
 * 0x-hex of each node's public key — what placement hashes, so every component agrees.
 */
import { type Chain, nodeIdOf } from '@ddc/chain'
import { toAccountId, UnavailableError } from '@ddc/core'

export interface PeerNode {
  /** 0x-hex of the node's public key. */
  id: string
  /** Base URL (no trailing slash). */
  url: string
  /** The node key's 32 bytes (what its signed requests are checked against). */
  key: Uint8Array
}

export interface ClusterNodes {
  /** Every node of the cluster, this one included. */
  nodes: PeerNode[]
  replicationFactor: number
}

export interface NodeTopology {
  readonly selfId: string
  /** The cluster as last read (cached; a failed read keeps the previous answer). */
  current(): Promise<ClusterNodes>
}

export interface StaticPeer {
  url: string
  /** SS58 address or 0x-hex of the peer's node key. */
  key: string
}

const trim = (u: string) => u.replace(/\/+$/, '')

/** A fixed cluster: this node plus the configured peers. */
export function staticTopology(init: {
  self: Uint8Array
  selfUrl: string
  peers: readonly StaticPeer[]
  replicationFactor: number
}): NodeTopology {
  const self: PeerNode = { id: nodeIdOf(init.self), url: trim(init.selfUrl), key: init.self }
  const peers = init.peers.map((p) => {
    const key = toAccountId(p.key)
    return { id: nodeIdOf(key), url: trim(p.url), key }
  })
  const cluster = { nodes: [self, ...peers.filter((p) => p.id !== self.id)], replicationFactor: init.replicationFactor }
  return { selfId: self.id, current: async () => cluster }
}

/** What topology needs of the `Chain` interface. */
export type ClusterDirectory = Pick<Chain, 'getNode' | 'getCluster' | 'listNodes'>

/** The cluster as the chain lists it (active nodes with an endpoint), re-read at most every `cacheMs`. */
export function chainTopology(init: { chain: ClusterDirectory; self: Uint8Array; cacheMs?: number }): NodeTopology {
  const selfId = nodeIdOf(init.self)
  const cacheMs = init.cacheMs ?? 5000
  let last: { at: number; value: ClusterNodes } | undefined
  let reading: Promise<ClusterNodes> | undefined

  async function read(): Promise<ClusterNodes> {
    const me = await init.chain.getNode(selfId)
    if (!me.clusterId) throw new UnavailableError(`node ${selfId} belongs to no cluster on chain`)
    const [cluster, nodes] = await Promise.all([
      init.chain.getCluster(me.clusterId),
      init.chain.listNodes({ clusterId: me.clusterId }),
    ])
    const byId = new Map(nodes.map((n) => [n.id, n]))
    const members = cluster.nodes.flatMap((id) => {
      const n = byId.get(id)
      if (!n || (n.status !== 'active' && id !== selfId) || !n.endpoints[0]) return []
      return [{ id, url: trim(n.endpoints[0]), key: n.publicKey }]
    })
    return { nodes: members, replicationFactor: cluster.replicationFactor }
  }

  return {
    selfId,
    async current() {
      if (last && Date.now() - last.at < cacheMs) return last.value
      reading ??= read()
        .then((value) => {
          last = { at: Date.now(), value }
          return value
        })
        .finally(() => {
          reading = undefined
        })
      try {
        return await reading
      } catch (err) {
        if (last) return last.value
        throw err
      }
    },
  }
}
