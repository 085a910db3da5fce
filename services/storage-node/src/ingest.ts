/**
 * An append request from wire bytes to a durable plan (DESIGN.md "Storage node": every write is
 * verified before it is stored; anything invalid is refused and leaves nothing behind).
 *  1. decode + verify on the worker pool (canonical envelopes, CIDs, bodies, batch paths, signatures);
 *  2. authorize: the owner signs, or a delegate whose `envelope.cap` names a capability chain sent
 *     with the request (op `append`, or `delete` for tombstones);
 *  3. link: per timeline the request's events must be consecutive; events already stored are
 *     recognised as retries; the rest is compare-and-set against the head;
 *  4. tombstones: resolve which body blocks they erase;
 *  5. one plan for the whole request → store.apply (atomic, group-committed, fsynced).
 */
import type { BucketDirectory, BucketInfo } from '@ddc/chain'
import {
  BadLinkError,
  bytesEqual,
  CID,
  CidMismatchError,
  ConflictError,
  decodeCid,
  type Head,
  type SealVerifier,
  type SignedCapability,
  toAddress,
  toHex,
  UnauthorizedError,
  validateCapabilityChain,
} from '@ddc/core'
import { atIndex, type DecodedEvent, type DecodedRequest } from './decode-events.js'
import type { NodeMetrics } from './metrics.js'
import type { AppendPlan, NewEvent, TimelineAppend, TimelineRef, TimelineStore } from './store/types.js'
import { erasures, requireErased } from './tombstone.js'
import type { VerifyPool } from './verify-pool.js'
import { type AppendRequest, parseCaps } from './wire.js'

export interface IngestContext {
  store: TimelineStore
  pool: VerifyPool
  buckets: BucketDirectory
  seals: SealVerifier
  now: () => number
  metrics: NodeMetrics
  ss58Prefix: number
  maxEvents: number
}

export interface AppendOutcome {
  stored: number
  duplicates: number
  heads: { bucket: string; owner: string; seq: number; cid: string; length: number }[]
}

interface Group {
  ref: TimelineRef
  /** Request indexes of this timeline's events, in order. */
  items: number[]
}

function conflict(ref: TimelineRef, head: Head | null, index: number, why: string): ConflictError {
  return new ConflictError(`${why}; re-link after the current head and sign again`, {
    details: {
      index,
      bucket: ref.bucket,
      owner: toAddress(ref.owner),
      head: head ? { seq: head.seq, cid: head.cid.toString() } : null,
    },
  })
}

/** `decoded`: the request already decoded by the caller (replication routes a request by its timelines first). */
export async function ingest(ctx: IngestContext, req: AppendRequest, decoded?: DecodedRequest): Promise<AppendOutcome> {
  const t0 = performance.now()
  decoded ??= await ctx.pool.decode(req.raw, ctx.maxEvents)
  const events = decoded.events
  const chains = decoded.caps === undefined ? req.chains : [...req.chains, ...parseCaps(decoded.caps)]
  ctx.metrics.signaturesVerified.inc(await ctx.pool.verify(decoded.checks))
  ctx.metrics.verifySeconds.observe((performance.now() - t0) / 1000)
  req.claimed?.forEach((c, k) => {
    if (!bytesEqual(c.bytes, events[k]!.cid))
      atIndex(new CidMismatchError(`the CAR names envelope ${c} but its bytes hash to another CID`), k)
  })

  const infos = new Map<string, BucketInfo>()
  for (const e of events) if (!infos.has(e.bucket)) infos.set(e.bucket, await ctx.buckets.getBucket(e.bucket))
  const used = authorize(ctx, chains, events, infos)

  const groups = new Map<string, Group>()
  events.forEach((e, k) => {
    const key = `${e.bucket}\0${Buffer.from(e.owner.buffer, e.owner.byteOffset, 32).toString('hex')}`
    const g = groups.get(key)
    if (!g) {
      groups.set(key, { ref: { bucket: e.bucket, owner: e.owner }, items: [k] })
      return
    }
    const p = events[g.items[g.items.length - 1]!]!
    if (e.seq !== p.seq + 1 || !e.prev || !bytesEqual(e.prev, p.cid))
      atIndex(new BadLinkError(`seq ${e.seq} does not directly follow seq ${p.seq} of its timeline in this request`), k)
    g.items.push(k)
  })
  if (events.some((e) => e.body && !e.bodyBytes)) for (const g of groups.values()) requireErased(g.items, events)

  const plan: AppendPlan = { timelines: [], capabilities: [], erase: [] }
  let duplicates = 0
  const settled: AppendOutcome['heads'] = []
  // One read per timeline to recognise retried events; all timelines at once.
  const freshOf = await Promise.all([...groups.values()].map((g) => dropStored(ctx, g, events)))
  let gi = 0
  for (const g of groups.values()) {
    const fresh = freshOf[gi++]!
    duplicates += g.items.length - fresh.length
    if (fresh.length === 0) {
      const head = await ctx.store.head(g.ref)
      if (head) settled.push(headView(ctx, g.ref, head))
      continue
    }
    const first = events[fresh[0]!]!
    const expect: Head | null = first.prev ? { seq: first.seq - 1, cid: CID.decode(first.prev) } : null
    if (fresh.some((k) => events[k]!.erase !== undefined))
      plan.erase.push(...(await erasures(ctx, g.ref, fresh, events, expect)))
    plan.timelines.push({ ref: g.ref, expect, events: fresh.map((k) => newEvent(events[k]!)) })
  }
  for (const { chain, ref } of used) {
    if (plan.timelines.length === 0) break
    for (const link of chain)
      if (!(await ctx.store.hasBlock(link.cid)))
        plan.capabilities.push({ ref, cid: link.cid, bytes: link.bytes, seal: link.seal })
  }

  const stored = plan.timelines.reduce((n, t) => n + t.events.length, 0)
  if (stored > 0) {
    const heads = await ctx.store.apply(plan)
    plan.timelines.forEach((t: TimelineAppend, k) => {
      settled.push(headView(ctx, t.ref, heads[k]!))
    })
  }
  ctx.metrics.eventsAppended.inc(stored)
  ctx.metrics.eventsDuplicate.inc(duplicates)
  ctx.metrics.bytesStored.inc(
    plan.timelines.reduce(
      (n, t) => n + t.events.reduce((m, e) => m + e.bytes.length + (e.body?.bytes.length ?? 0), 0),
      0,
    ),
  )
  return { stored, duplicates, heads: settled }
}

function headView(ctx: IngestContext, ref: TimelineRef, head: Head): AppendOutcome['heads'][number] {
  return {
    bucket: ref.bucket,
    owner: toAddress(ref.owner, ctx.ss58Prefix),
    seq: head.seq,
    cid: head.cid.toString(),
    length: head.seq + 1,
  }
}

function newEvent(e: DecodedEvent): NewEvent {
  const ev: NewEvent = { cid: decodeCid(e.cid), bytes: e.env, seq: e.seq, type: e.type, ts: e.ts, seal: e.seal }
  if (e.body && e.bodyBytes) ev.body = { cid: decodeCid(e.body), bytes: e.bodyBytes }
  return ev
}

/** Checks delegated events against the chains sent along; returns the chains that were needed. */
function authorize(
  ctx: IngestContext,
  chains: readonly SignedCapability[][],
  events: readonly DecodedEvent[],
  infos: Map<string, BucketInfo>,
): { chain: SignedCapability[]; ref: TimelineRef }[] {
  const byLeaf = new Map<string, SignedCapability[]>()
  for (const c of chains) byLeaf.set(toHex(c[c.length - 1]!.cid.bytes), c)
  const used = new Map<string, { chain: SignedCapability[]; ref: TimelineRef }>()
  const ok = new Set<string>()
  const now = ctx.now()
  let last: DecodedEvent | undefined
  events.forEach((e, k) => {
    if (!e.signer) return
    // A delegate's events come in runs per timeline: the same question as the event before needs no memo key.
    if (last && sameGrant(last, e)) return
    const leaf = toHex(e.cap!)
    const op = e.erase !== undefined ? 'delete' : 'append'
    const memo = `${leaf}|${op}|${e.bucket}|${toHex(e.owner)}|${toHex(e.signer)}`
    if (ok.has(memo)) return
    const chain = byLeaf.get(leaf)
    if (!chain)
      atIndex(
        new UnauthorizedError(
          `event is signed by a delegate under capability ${CID.decode(e.cap!)}; send that capability chain with the request`,
        ),
        k,
      )
    try {
      validateCapabilityChain(chain, {
        bucketOwner: infos.get(e.bucket)!.owner,
        actor: e.signer,
        op,
        bucket: e.bucket,
        timeline: e.owner,
        now,
        verifier: ctx.seals,
      })
    } catch (err) {
      atIndex(err, k)
    }
    ok.add(memo)
    last = e
    if (!used.has(leaf)) used.set(leaf, { chain, ref: { bucket: e.bucket, owner: e.owner } })
  })
  return [...used.values()]
}

/** Same capability, operation, timeline and delegate: one authorization answers both. */
function sameGrant(a: DecodedEvent, b: DecodedEvent): boolean {
  return (
    a.bucket === b.bucket &&
    (a.erase === undefined) === (b.erase === undefined) &&
    bytesEqual(a.cap!, b.cap!) &&
    bytesEqual(a.owner, b.owner) &&
    bytesEqual(a.signer!, b.signer!)
  )
}

/** Drops a timeline's leading events that are already stored (a retried request); refuses forks. */
async function dropStored(ctx: IngestContext, g: Group, events: readonly DecodedEvent[]): Promise<number[]> {
  let k = 0
  for (; k < g.items.length; k++) {
    const e = events[g.items[k]!]!
    const stored = await ctx.store.eventAt(g.ref, e.seq)
    if (!stored) break
    if (!bytesEqual(stored.cid.bytes, e.cid))
      throw conflict(g.ref, await ctx.store.head(g.ref), g.items[k]!, `seq ${e.seq} is already taken by another event`)
  }
  return g.items.slice(k)
}
