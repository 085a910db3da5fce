/**
 * The write path of a replicated node (DESIGN.md "Cluster, CLS and replication"). For an append, the
 * node finds each timeline's replicas (placement.ts) and (per first replica, when a request names
 * timelines of several):
 *  - when it is the first healthy replica: runs the whole ingest pipeline (compare-and-set, durable
 *    commit), pushes the same request to the other replicas and answers once a write quorum holds it
 *    durably — else 503 ERR_QUORUM saying how many did;
 *  - otherwise forwards the request to the first replica, naming itself in `x-ddc-not-first` so a
 *    peer that sees placement differently never sends it back (each hop adds one name: no loops).
 * A node that is catching up after a restart never acts as first: it might not know the newest head.
 */
import type { DecodedEvent, DecodedRequest } from '../decode-events.js'
import { type AppendOutcome, ingest } from '../ingest.js'
import { type AppendRequest, cborRequest } from '../wire.js'
import { replicaBody, splitBody } from './body.js'
import type { ReplicationDeps } from './deps.js'
import { QuorumError } from './errors.js'
import { isRefused } from './health.js'
import { type Placement, placeTimeline } from './placement.js'
import { groupByTimeline, type TimelineGroup } from './replica.js'
import type { PeerNode } from './topology.js'

export type ReplicatedOutcome = AppendOutcome & { replicas: number }

/** The call never got an answer (as opposed to an error the peer answered). */
const isNetworkFailure = (err: unknown) =>
  (err as { code?: string }).code === 'ERR_UNAVAILABLE' &&
  (err as { details?: { status?: number } }).details?.status === undefined

export class Coordinator {
  readonly #deps: ReplicationDeps
  /** True until the first repair round after start has run. */
  catchingUp = true

  constructor(deps: ReplicationDeps) {
    this.#deps = deps
  }

  async append(wire: AppendRequest, notFirst: readonly string[]): Promise<ReplicatedOutcome | unknown> {
    const d = this.#deps
    const decoded = await d.ingest.pool.decode(wire.raw, d.ingest.maxEvents)
    const groups = groupByTimeline(decoded.events)
    const selfId = d.topology.selfId
    const exclude = new Set(notFirst)
    if (this.catchingUp) exclude.add(selfId)
    for (let attempt = 0; ; attempt++) {
      const cluster = await d.topology.current()
      const placements = groups.map((g) => placeTimeline(cluster, d.health, g.ref, d.writeQuorum))
      const firsts = placements.map((p) => p.serving.find((n) => !exclude.has(n.id)))
      const first = firsts[0]
      if (!first || firsts.some((f) => f === undefined)) {
        d.metrics.quorumFailures.inc()
        throw new QuorumError('no replica of this timeline is reachable to accept the append; retry later', {
          details: { replicas: 0, needed: placements[0]?.quorum ?? d.writeQuorum },
        })
      }
      if (firsts.some((f) => f!.id !== first.id)) return this.#split(wire, groups, firsts as PeerNode[], notFirst)
      if (first.id === selfId) return this.#coordinate(wire, decoded, groups, placements)
      try {
        d.metrics.forwards.inc()
        return await d.client.forward(first, replicaBody(wire), [...exclude, selfId])
      } catch (err) {
        if (!isNetworkFailure(err) || attempt >= cluster.nodes.length) throw err
        if (isRefused(err)) d.health.markDown(first.id)
        else exclude.add(first.id) // too slow to answer: let the next replica act as first
      }
    }
  }

  /**
   * Timelines with different first replicas: the request is cut by first replica and each part goes
   * its own way (each part stays atomic; the request as a whole no longer is).
   */
  async #split(
    wire: AppendRequest,
    groups: TimelineGroup[],
    firsts: PeerNode[],
    notFirst: readonly string[],
  ): Promise<ReplicatedOutcome> {
    const byFirst = new Map<string, DecodedEvent[]>()
    groups.forEach((g, k) => {
      const list = byFirst.get(firsts[k]!.id) ?? []
      list.push(...g.events)
      byFirst.set(firsts[k]!.id, list)
    })
    const parts = splitBody(wire, [...byFirst.values()])
    const outcomes = (await Promise.all(
      parts.map((raw) => this.append(cborRequest(raw), notFirst)),
    )) as ReplicatedOutcome[]
    return {
      stored: outcomes.reduce((n, o) => n + o.stored, 0),
      duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
      heads: outcomes.flatMap((o) => o.heads),
      replicas: Math.min(...outcomes.map((o) => o.replicas)),
    }
  }

  async #coordinate(
    wire: AppendRequest,
    decoded: DecodedRequest,
    groups: TimelineGroup[],
    placements: Placement[],
  ): Promise<ReplicatedOutcome> {
    const d = this.#deps
    const selfId = d.topology.selfId
    // Refuse before storing when a quorum is out of reach anyway (after asking the peers once more).
    if (placements.some((p) => p.serving.length < p.quorum)) {
      await d.health.probe()
      const cluster = await d.topology.current()
      placements = groups.map((g) => placeTimeline(cluster, d.health, g.ref, d.writeQuorum))
    }
    for (const p of placements) {
      if (p.serving.length < p.quorum) {
        d.metrics.quorumFailures.inc()
        throw quorumError(0, p.quorum, p.serving.length)
      }
    }
    const outcome = await ingest(d.ingest, wire, decoded)
    const targets = new Map<string, PeerNode>()
    for (const p of placements) for (const n of p.serving) if (n.id !== selfId) targets.set(n.id, n)
    const acked = await this.#pushAll(replicaBody(wire), [...targets.values()], placements)
    const short = placements.map((p) => 1 + p.serving.filter((n) => acked.has(n.id)).length)
    const held = Math.min(...short)
    const worst = placements[short.indexOf(held)]!
    if (held < worst.quorum) {
      d.metrics.quorumFailures.inc()
      throw quorumError(held, worst.quorum, worst.serving.length)
    }
    return { ...outcome, replicas: held }
  }

  /** Pushes to every target; resolves with who acknowledged once every timeline has its quorum, or all answered. */
  #pushAll(body: Uint8Array, targets: PeerNode[], placements: Placement[]): Promise<Set<string>> {
    const d = this.#deps
    const acked = new Set<string>()
    const satisfied = () => placements.every((p) => 1 + p.serving.filter((n) => acked.has(n.id)).length >= p.quorum)
    if (satisfied() || targets.length === 0) return Promise.resolve(acked)
    return new Promise((resolve) => {
      let pending = targets.length
      for (const t of targets) {
        d.client
          .push(t, body)
          .then(
            () => {
              d.metrics.pushes.inc({ result: 'ok' })
              acked.add(t.id)
            },
            (err) => {
              d.metrics.pushes.inc({ result: 'failed' })
              if (isRefused(err)) d.health.markDown(t.id)
              d.log({ peer: t.id, err: (err as Error).message }, 'replica push failed')
            },
          )
          .finally(() => {
            pending--
            // Late pushes still complete in the background; repair covers any that fail.
            if (satisfied() || pending === 0) resolve(new Set(acked))
          })
      }
    })
  }
}

function quorumError(held: number, needed: number, reachable: number): QuorumError {
  return new QuorumError(
    `only ${held} replica(s) hold this append durably, ${needed} are needed (${reachable} reachable); ` +
      'it is not acknowledged — retry later (a retry is harmless)',
    { details: { replicas: held, needed, reachable } },
  )
}
