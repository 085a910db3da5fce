/** What the parts of replication share: the node's ingest pipeline, its view of the cluster, its peer client. */
import type { IngestContext } from '../ingest.js'
import type { ForkBook } from './forks.js'
import type { PeerHealth } from './health.js'
import type { ReplicationMetrics } from './metrics.js'
import type { PeerClient } from './peer-client.js'
import type { NodeTopology, PeerNode } from './topology.js'

export interface ReplicationDeps {
  ingest: IngestContext
  topology: NodeTopology
  health: PeerHealth
  client: PeerClient
  forks: ForkBook
  metrics: ReplicationMetrics
  writeQuorum: number
  /** Events fetched per page when catching up. */
  pageSize: number
  log: (obj: Record<string, unknown>, msg: string) => void
}

/** Runs `fn` once no other call with the same key is running (per-timeline serialization). */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>()
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve()
    const mine = before.catch(() => {}).then(fn)
    this.#tails.set(key, mine)
    try {
      return await mine
    } finally {
      if (this.#tails.get(key) === mine) this.#tails.delete(key)
    }
  }
}

export async function peerById(deps: ReplicationDeps, id: string): Promise<PeerNode | undefined> {
  return (await deps.topology.current()).nodes.find((n) => n.id === id)
}
