/**
 * Deletion (DESIGN.md "Event and timeline"): a tombstone is an ordinary signed event of type
 * `ddc/tombstone` whose `pub.erase` lists envelope CIDs — or is "all" — of earlier events in its own
 * timeline. Appending it erases those events' body blocks in the same atomic commit; envelopes stay,
 * so the hash chain and its anchors still verify, and reads mark the events `redacted`.
 */
import {
  bytesEqual,
  CID,
  ConflictError,
  decodeEnvelope,
  type Head,
  InvalidInputError,
  toAddress,
  toHex,
} from '@ddc/core'
import { atIndex, type DecodedEvent, MISSING_BODY } from './decode-events.js'
import type { IngestContext } from './ingest.js'
import type { AppendPlan, TimelineRef } from './store/types.js'

const sameHead = (a: Head | null, b: Head | null) =>
  a === null || b === null ? a === b : a.seq === b.seq && a.cid.equals(b.cid)

/**
 * An event may arrive without its body block only when the body is erased: a later tombstone of the
 * same request — whose signature, authorization and link are checked like any event's — names it or
 * erases `all`. (Only a replica's range fetch decodes such events at all: decode-events allowErased.)
 * Answers the first of one timeline's request indexes `items` (in seq order) that breaks this, or -1.
 */
export function firstUnerased(items: readonly number[], events: readonly DecodedEvent[]): number {
  let named: Set<string> | undefined
  let all = false
  let bad = -1
  // Backwards, so every event has seen the tombstones after it.
  for (let j = items.length - 1; j >= 0; j--) {
    const k = items[j]!
    const e = events[k]!
    if (e.body && !e.bodyBytes && !all && !named?.has(toHex(e.cid))) bad = k
    if (e.erase === 'all') all = true
    else if (e.erase) {
      named ??= new Set()
      for (const c of e.erase) named.add(toHex(c))
    }
  }
  return bad
}

/** Refuses a request with an event whose body is missing and not erased by a tombstone in it. */
export function requireErased(items: readonly number[], events: readonly DecodedEvent[]): void {
  const k = firstUnerased(items, events)
  if (k >= 0) atIndex(new InvalidInputError(`${MISSING_BODY}, and no later tombstone in this request erases it`), k)
}

/**
 * Body blocks the tombstones among `fresh` erase. A tombstone may name only earlier events of its
 * own timeline. Resolution reads durable state, so it waits for pending commits and requires that
 * the durable head is the one this append extends (otherwise an event could escape the erasure).
 */
export async function erasures(
  ctx: IngestContext,
  ref: TimelineRef,
  fresh: readonly number[],
  events: readonly DecodedEvent[],
  expect: Head | null,
): Promise<AppendPlan['erase']> {
  await ctx.store.flush()
  const durable = await ctx.store.head(ref)
  if (!sameHead(durable, expect))
    throw new ConflictError('the timeline has moved on; re-link the tombstone after the current head and sign again', {
      details: {
        index: fresh[0],
        bucket: ref.bucket,
        owner: toAddress(ref.owner),
        head: durable ? { seq: durable.seq, cid: durable.cid.toString() } : null,
      },
    })
  const out = new Map<string, AppendPlan['erase'][number]>()
  const earlier = new Map<string, number>() // envelope CID hex → request index, within this append
  const addStored = async (stored: { cid: CID; seq: number }[]) => {
    const envs = await ctx.store.getBlocks(stored.map((s) => s.cid))
    const bodies: { cid: CID; seq: number }[] = []
    envs.forEach((b, k) => {
      const body = b ? decodeEnvelope(b.bytes).envelope.body : undefined
      if (body) bodies.push({ cid: body, seq: stored[k]!.seq })
    })
    const blocks = await ctx.store.getBlocks(bodies.map((b) => b.cid))
    bodies.forEach(({ cid, seq }, k) => {
      const b = blocks[k]
      if (b) out.set(cid.toString(), { ref, seq, cid, bytes: b.bytes.length })
    })
  }
  const addFresh = (k: number) => {
    const e = events[k]!
    // An event that arrived already erased (a replica catching up) has no body left to erase.
    if (e.body && e.bodyBytes) {
      const cid = CID.decode(e.body)
      out.set(cid.toString(), { ref, seq: e.seq, cid, bytes: e.bodyBytes!.length })
    }
  }
  for (const k of fresh) {
    const e = events[k]!
    if (e.erase === 'all') {
      for (const j of earlier.values()) addFresh(j)
      let after: { seq: number } | undefined
      for (;;) {
        const page = await ctx.store.query(ref, { order: 'asc', limit: 1000, ...(after ? { after } : {}) })
        await addStored(page.events)
        if (!page.next) break
        after = page.next
      }
    } else if (e.erase) {
      const stored: { cid: CID; seq: number }[] = []
      for (const c of e.erase) {
        const j = earlier.get(toHex(c))
        if (j !== undefined) {
          addFresh(j)
          continue
        }
        const cid = CID.decode(c)
        const loc = await ctx.store.locate(cid)
        if (!loc || loc.ref.bucket !== ref.bucket || !bytesEqual(loc.ref.owner, ref.owner) || loc.event.seq >= e.seq)
          atIndex(new InvalidInputError(`the tombstone names ${cid}, which is not an earlier event of its timeline`), k)
        stored.push({ cid, seq: loc!.event.seq })
      }
      await addStored(stored)
    }
    earlier.set(toHex(e.cid), k)
  }
  return [...out.values()]
}
