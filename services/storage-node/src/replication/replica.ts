/**
 * The replica side: storing what another replica sends, and fetching what this node misses. Either
 * way every event goes through the node's own ingest pipeline (CIDs, signatures, capabilities, links,
 * compare-and-set): a replica trusts no peer. When an append does not extend the local head, the
 * missing range is fetched from the sender first (a node that was down catches up on the fly); when
 * it collides with a different envelope at the same seq, both are kept as fork evidence. Fetched
 * events may lack bodies that a tombstone erased, proven by that tombstone in the same batch.
 */
import { bytesEqual, CID, ConflictError, toHex, UnavailableError } from '@ddc/core'
import type { DecodedEvent, DecodedRequest } from '../decode-events.js'
import { type AppendOutcome, ingest } from '../ingest.js'
import type { StoredEvent, TimelineRef } from '../store/types.js'
import { firstUnerased } from '../tombstone.js'
import { type AppendRequest, cborRequest, parseCaps } from '../wire.js'
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

/** Events fetched from a peer, not yet stored. */
interface Batch {
  wire: AppendRequest
  decoded: DecodedRequest
}

/** Peers' ranges may hold erased events (ingest still requires the tombstone that erased each). */
const ERASED_OK = { allowErased: true }

/** Most events held back while waiting for the tombstone that erased one of them. */
const MAX_HELD = 20_000

/** Two consecutive pages as one request: chains move beside the body, signature checks are re-indexed. */
function join(a: Batch, b: DecodedRequest): Batch {
  const chains = [...a.wire.chains]
  for (const d of [a.decoded, b]) if (d.caps !== undefined) chains.push(...parseCaps(d.caps))
  const offset = a.decoded.events.length
  return {
    wire: { raw: new Uint8Array(0), chains },
    decoded: {
      events: [...a.decoded.events, ...b.events],
      checks: [...a.decoded.checks, ...b.checks.map((c) => ({ ...c, index: c.index + offset }))],
    },
  }
}

function unproven(peer: PeerNode, batch: Batch): UnavailableError {
  const k = firstUnerased(
    batch.decoded.events.map((_, j) => j),
    batch.decoded.events,
  )
  const e = batch.decoded.events[k]!
  return new UnavailableError(
    `peer ${peer.id} sent seq ${e.seq} without its body block, and no tombstone among the ${batch.decoded.events.length} events fetched with it erases it`,
  )
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
   * Answers how many were newly stored; stops early at `budget` events. A page holding events whose
   * bodies a tombstone erased is kept and the next pages joined to it, past `to` if need be, until
   * the tombstones that erase them are in the batch: then all is verified and stored in one commit.
   */
  async syncRange(peer: PeerNode, ref: TimelineRef, from: number, to: number, budget = Infinity): Promise<number> {
    const d = this.#deps
    let next = from
    let stored = 0
    let held: Batch | undefined
    while ((next <= to || held) && stored < budget) {
      const last = held ? next + d.pageSize - 1 : Math.min(to, next + d.pageSize - 1)
      const bytes = await d.client.events(peer, ref.bucket, toHex(ref.owner), next, last)
      if (bytes.length === 0) {
        if (held) throw unproven(peer, held)
        break // the peer has nothing there (any more)
      }
      const decoded = await d.ingest.pool.decode(bytes, Math.max(d.ingest.maxEvents, d.pageSize), ERASED_OK)
      const events = decoded.events
      if (events.some((e) => e.bucket !== ref.bucket || !bytesEqual(e.owner, ref.owner)))
        throw new UnavailableError(`peer ${peer.id} answered events of another timeline`)
      const batch = held ? join(held, decoded) : { wire: cborRequest(bytes), decoded }
      next = events[events.length - 1]!.seq + 1
      const all = batch.decoded.events
      if (
        firstUnerased(
          all.map((_, k) => k),
          all,
        ) >= 0
      ) {
        if (all.length >= MAX_HELD) throw unproven(peer, batch)
        held = batch
        continue
      }
      held = undefined
      try {
        const outcome = await ingest(d.ingest, batch.wire, batch.decoded)
        stored += outcome.stored
        d.metrics.eventsRepaired.inc(outcome.stored)
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err
        await this.detectFork(peer, ref, all)
        // Someone else stored part of the range meanwhile: go on from the head.
        const head = await d.ingest.store.head(ref)
        if (!head || head.seq < all[0]!.seq) throw err
        next = head.seq + 1
      }
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
    const decoded = await d.ingest.pool.decode(bytes, 1, ERASED_OK)
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
