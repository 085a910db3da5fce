/**
 * Background repair between replicas: every interval, for each healthy peer, page through the heads of
 * the timelines it holds, and for each timeline this node is a home replica of, fetch what is missing
 * by seq range (verified like any append) or, at equal length, compare the envelopes at the head seq
 * (a difference is fork evidence). Pull-only and symmetric: every node repairs itself. Each round is
 * bounded by `maxEventsPerRound`; what is left waits for the next round.
 */
import { replicaSet } from '@ddc/cluster'
import { bytesEqual, CID, fromHex } from '@ddc/core'
import type { TimelineRef } from '../store/types.js'
import type { ReplicationDeps } from './deps.js'
import type { RemoteHead } from './peer-client.js'
import type { Replica } from './replica.js'
import type { ClusterNodes, PeerNode } from './topology.js'

export interface RepairInit {
  intervalMs: number
  maxEventsPerRound: number
}

export interface RepairReport {
  peers: number
  timelines: number
  fetched: number
  /** True when the round stopped at its event budget (more is left). */
  truncated: boolean
  errors: string[]
}

const HEADS_PAGE = 500

export class Repairer {
  readonly #deps: ReplicationDeps
  readonly #replica: Replica
  readonly #init: RepairInit
  #timer: NodeJS.Timeout | undefined
  #running: Promise<RepairReport> | undefined
  #closed = false

  constructor(deps: ReplicationDeps, replica: Replica, init: RepairInit) {
    this.#deps = deps
    this.#replica = replica
    this.#init = init
  }

  /** Runs rounds on the interval, calling `onRound` after each. */
  start(onRound: (r: RepairReport) => void): void {
    const tick = async () => {
      if (this.#closed) return
      const report = await this.round().catch((err) => ({
        peers: 0,
        timelines: 0,
        fetched: 0,
        truncated: false,
        errors: [(err as Error).message],
      }))
      onRound(report)
      if (!this.#closed) this.#timer = setTimeout(() => void tick(), this.#init.intervalMs)
    }
    void tick()
  }

  /** One round over every healthy peer (concurrent calls share the round in progress). */
  round(): Promise<RepairReport> {
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  async #round(): Promise<RepairReport> {
    const d = this.#deps
    const report: RepairReport = { peers: 0, timelines: 0, fetched: 0, truncated: false, errors: [] }
    const cluster = await d.topology.current()
    await d.health.probe()
    for (const peer of cluster.nodes) {
      if (peer.id === d.topology.selfId || !d.health.isUp(peer.id) || this.#closed) continue
      try {
        await this.#fromPeer(cluster, peer, report)
        report.peers++
      } catch (err) {
        report.errors.push(`${peer.url}: ${(err as Error).message}`)
      }
      if (report.truncated) break
    }
    d.metrics.repairRounds.inc({ result: report.errors.length ? 'error' : 'ok' })
    if (report.fetched || report.errors.length) d.log({ ...report }, 'repair round')
    return report
  }

  async #fromPeer(cluster: ClusterNodes, peer: PeerNode, report: RepairReport): Promise<void> {
    const d = this.#deps
    for (const bucket of await d.client.buckets(peer)) {
      let after: string | undefined
      for (;;) {
        const heads = await d.client.heads(peer, bucket, after, HEADS_PAGE)
        for (const h of heads) {
          const ref = { bucket, owner: fromHex(h.owner, 32) }
          const home = replicaSet(bucket, ref.owner, cluster.nodes, cluster.replicationFactor)
          if (!home.some((n) => n.id === d.topology.selfId)) continue
          report.timelines++
          try {
            if (await this.#timeline(peer, ref, h, report)) return
          } catch (err) {
            if (report.errors.length < 20)
              report.errors.push(`${peer.url} ${bucket}/${h.owner}: ${(err as Error).message}`)
          }
        }
        if (heads.length < HEADS_PAGE) break
        after = heads[heads.length - 1]!.owner
      }
    }
  }

  /** Repairs one timeline from `peer`; answers true when the round's budget is spent. */
  async #timeline(peer: PeerNode, ref: TimelineRef, h: RemoteHead, report: RepairReport): Promise<boolean> {
    const store = this.#deps.ingest.store
    const local = await store.head(ref)
    const have = local ? local.seq : -1
    if (have >= h.seq) {
      const mine = await store.eventAt(ref, h.seq)
      if (mine && !bytesEqual(mine.cid.bytes, CID.parse(h.cid).bytes)) await this.#replica.checkFork(peer, ref, h.seq)
      return false
    }
    const budget = this.#init.maxEventsPerRound - report.fetched
    report.fetched += await this.#replica.syncRange(peer, ref, have + 1, h.seq, budget)
    report.truncated = report.fetched >= this.#init.maxEventsPerRound
    return report.truncated
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
  }
}
