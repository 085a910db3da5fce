/**
 * The replica side: storing what another replica sends, and fetching what this node misses. Either
 * way every event goes through the node's own ingest pipeline (CIDs, signatures, capabilities, links,
 * compare-and-set): a replica trusts no peer. When an append does not extend the local head, the
 * missing range is fetched from the sender first (a node that was down catches up on the fly); when
 * it collides with a different envelope at the same seq, both are kept as fork evidence.
 */
import { bytesEqual, CID, ConflictError, toHex, UnavailableError } from '@ddc/core'
import type { DecodedEvent, DecodedRequest } from '../decode-events.js'
import { type AppendOutcome, ingest } from '../ingest.js'
import type { StoredEvent, TimelineRef } from '../store/types.js'
import { type AppendRequest, cborRequest } from '../wire.js'
import { KeyedLock, type ReplicationDeps } from './deps.js'
import { ForkError } from './errors.js'
import type { ForkSide } from './forks.js'
import type { PeerNode } from './topology.js'

export interface TimelineGroup {
  ref: TimelineRef
  events: DecodedEvent[]
}

export const refKey = (ref: TimelineRef) => `${ref.bucket}\0${toHex(ref.owner)}`

/** The request's events by timeline, in request order. */
export function groupByTimeline(events: readonly DecodedEvent[]): TimelineGroup[] {
  const groups = new Map<string, TimelineGroup>()
  for (const e of events) {
    const key = refKey(e)
    const g = groups.get(key)
    if (g) g.events.push(e)
    else groups.set(key, { ref: { bucket: e.bucket, owner: e.owner }, events: [e] })
  }
  return [...groups.values()]
}

export class Replica {
  readonly #deps: ReplicationDeps
  readonly #locks = new KeyedLock()

  constructor(deps: ReplicationDeps) {
    this.#deps = deps
  }

  /** Stores an append pushed by `source` (already decoded), catching up first when it does not extend the head. */
  async receive(source: PeerNode, wire: AppendRequest, decoded: DecodedRequest): Promise<AppendOutcome> {
    try {
      return await ingest(this.#deps.ingest, wire, decoded)
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
    }
    const groups = groupByTimeline(decoded.events)
    // One timeline at a time per node: concurrent pushes that find the same gap fetch it once.
    const run = () => this.#catchUpAndApply(source, wire, decoded, groups)
    return groups.length === 1 ? this.#locks.run(refKey(groups[0]!.ref), run) : run()
  }

  async #catchUpAndApply(
    source: PeerNode,
    wire: AppendRequest,
    decoded: DecodedRequest,
    groups: TimelineGroup[],
  ): Promise<AppendOutcome> {
    for (const g of groups) {
      const head = await this.#deps.ingest.store.head(g.ref)
      const first = g.events[0]!.seq
      const have = head ? head.seq : -1
      if (have < first - 1) await this.syncRange(source, g.ref, have + 1, first - 1)
    }
    try {
      return await ingest(this.#deps.ingest, wire, decoded)
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      for (const g of groups) await this.detectFork(source, g.ref, g.events)
      throw err
    }
  }

  /**
   * Fetches events [from, to] of a timeline from `peer`, verifies and stores them page by page.
   * Answers how many were newly stored; stops early at `budget` events.
   */
  async syncRange(peer: PeerNode, ref: TimelineRef, from: number, to: number, budget = Infinity): Promise<number> {
    const d = this.#deps
    let next = from
    let stored = 0
    while (next <= to && stored < budget) {
      const last = Math.min(to, next + d.pageSize - 1)
      const bytes = await d.client.events(peer, ref.bucket, toHex(ref.owner), next, last)
      if (bytes.length === 0) break // the peer has nothing there (any more)
      const wire = cborRequest(bytes)
      const decoded = await d.ingest.pool.decode(bytes, Math.max(d.ingest.maxEvents, d.pageSize))
      const events = decoded.events
      if (events.some((e) => e.bucket !== ref.bucket || !bytesEqual(e.owner, ref.owner)))
        throw new UnavailableError(`peer ${peer.id} answered events of another timeline`)
      try {
        const outcome = await ingest(d.ingest, wire, decoded)
        stored += outcome.stored
        d.metrics.eventsRepaired.inc(outcome.stored)
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err
        await this.detectFork(peer, ref, events)
        // Someone else stored part of the range meanwhile: go on from the head.
        const head = await d.ingest.store.head(ref)
        if (!head || head.seq < events[0]!.seq) throw err
        next = head.seq + 1
        continue
      }
      next = events[events.length - 1]!.seq + 1
    }
    return stored
  }

  /** Throws ForkError (after keeping the evidence) when `events` collide with stored envelopes. */
  async detectFork(peer: PeerNode, ref: TimelineRef, events: readonly DecodedEvent[]): Promise<void> {
    const store = this.#deps.ingest.store
    for (const e of events) {
      const local = await store.eventAt(ref, e.seq)
      if (local && !bytesEqual(local.cid.bytes, e.cid)) {
        await this.#fork(ref, e.seq, local, {
          cid: CID.decode(e.cid),
          env: e.env.slice(),
          seal: e.seal,
          source: peer.id,
        })
      }
    }
    const first = events[0]
    if (!first || first.seq === 0 || !first.prev) return
    const local = await store.eventAt(ref, first.seq - 1)
    if (!local || bytesEqual(local.cid.bytes, first.prev)) return
    const theirs = await this.fetchOne(peer, ref, first.seq - 1)
    if (theirs) await this.#fork(ref, first.seq - 1, local, { ...theirs, source: peer.id })
  }

  /** Compares this node's envelope at `seq` with `peer`'s; a difference is kept and thrown as a fork. */
  async checkFork(peer: PeerNode, ref: TimelineRef, seq: number): Promise<void> {
    const local = await this.#deps.ingest.store.eventAt(ref, seq)
    const theirs = local && (await this.fetchOne(peer, ref, seq))
    if (local && theirs && !local.cid.equals(theirs.cid))
      await this.#fork(ref, seq, local, { ...theirs, source: peer.id })
  }

  /** One event of `peer`'s timeline, signature checked (as fork evidence must be). */
  async fetchOne(peer: PeerNode, ref: TimelineRef, seq: number): Promise<Omit<ForkSide, 'source'> | undefined> {
    const d = this.#deps
    const bytes = await d.client.events(peer, ref.bucket, toHex(ref.owner), seq, seq)
    if (bytes.length === 0) return undefined
    const decoded = await d.ingest.pool.decode(bytes, 1)
    await d.ingest.pool.verify(decoded.checks)
    const e = decoded.events[0]
    if (!e || e.seq !== seq || e.bucket !== ref.bucket || !bytesEqual(e.owner, ref.owner)) return undefined
    return { cid: CID.decode(e.cid), env: e.env.slice(), seal: e.seal }
  }

  async #fork(ref: TimelineRef, seq: number, local: StoredEvent, theirs: ForkSide): Promise<never> {
    const store = this.#deps.ingest.store
    const env = local.env ?? (await store.getBlock(local.cid))?.bytes ?? new Uint8Array(0)
    const fresh = await this.#deps.forks.record(ref, seq, [
      { cid: local.cid, env: env.slice(), seal: local.seal, source: 'local' },
      theirs,
    ])
    if (fresh)
      this.#deps.log({ bucket: ref.bucket, owner: toHex(ref.owner), seq, peer: theirs.source }, 'fork detected')
    throw new ForkError(
      `two different envelopes at seq ${seq} of ${ref.bucket}/${toHex(ref.owner)}: both kept as evidence (GET /forks)`,
      { details: { bucket: ref.bucket, seq, local: local.cid.toString(), other: theirs.cid.toString() } },
    )
  }
}
