/**
 * The LevelDB operations of one append plan (layout.ts): timeline registration, blocks, indexes,
 * seals (batch chunks), heads, capabilities and erasures. Pure: the store checks heads before and
 * commits caches after, so a failure here leaves nothing half-applied.
 */
import { encodeCanonical, type Head } from '@ddc/core'
import type { Op } from './group-commit.js'
import {
  blockKey,
  bodyKey,
  bucketKey,
  capSealKey,
  chunkKey,
  encodeEventRecord,
  headKey,
  headValue,
  inlinePointer,
  metaKey,
  seqKey,
  slotPointer,
  timeKey,
  timelineInfoKey,
  timelineKey,
  typeKey,
  u32Value,
} from './layout.js'
import { planSeals } from './seal-chunks.js'
import type { AppendPlan } from './types.js'

export interface Ids {
  tl: number
  chunk: number
}

export interface PlannedOps {
  ops: Op[]
  /** Counters after this plan's allocations. */
  ids: Ids
  /** Timeline id per plan timeline (allocated for new ones). */
  tlids: number[]
  heads: Head[]
  /** Block bytes added, per bucket. */
  stored: Map<string, number>
}

const EMPTY = Buffer.alloc(0)

/** `current[k]` is the id of plan timeline k, or null when the timeline is new. */
export function planOps(
  plan: AppendPlan,
  current: readonly (number | null)[],
  idsBefore: Ids,
  buckets: ReadonlySet<string>,
): PlannedOps {
  const ops: Op[] = []
  const ids = { ...idsBefore }
  const tlids = current.map((tlid, k) => {
    if (tlid !== null) return tlid
    const ref = plan.timelines[k]!.ref
    const id = ids.tl++
    ops.push([timelineKey(ref.bucket, ref.owner), u32Value(id)])
    ops.push([timelineInfoKey(id), Buffer.concat([Buffer.from(ref.bucket), Buffer.of(0), ref.owner])])
    if (!buckets.has(ref.bucket)) ops.push([bucketKey(ref.bucket), EMPTY])
    return id
  })
  const { chunks, refs } = planSeals(
    plan.timelines.flatMap((t) => t.events),
    () => ids.chunk++,
  )
  for (const [id, bytes] of chunks) ops.push([chunkKey(id), Buffer.from(bytes)])
  const stored = new Map<string, number>()
  const addStored = (bucket: string, n: number) => stored.set(bucket, (stored.get(bucket) ?? 0) + n)
  const heads: Head[] = []
  let k = 0
  plan.timelines.forEach((t, ti) => {
    const tlid = tlids[ti]!
    for (const e of t.events) {
      ops.push([seqKey(tlid, e.seq), encodeEventRecord(e.cid, refs[k++]!, e.bytes)])
      ops.push([blockKey(e.cid.bytes), slotPointer('envelope', tlid, e.seq)])
      if (e.body) {
        ops.push([bodyKey(tlid, e.seq), Buffer.from(e.body.bytes.buffer, e.body.bytes.byteOffset, e.body.bytes.length)])
        ops.push([blockKey(e.body.cid.bytes), slotPointer('body', tlid, e.seq)])
      }
      ops.push([typeKey(tlid, e.type, e.seq), EMPTY])
      ops.push([timeKey(tlid, e.ts, e.seq), Buffer.from(e.type, 'utf8')])
      addStored(t.ref.bucket, e.bytes.length + (e.body?.bytes.length ?? 0))
    }
    const last = t.events[t.events.length - 1]
    const head = last ? { seq: last.seq, cid: last.cid } : t.expect!
    if (last) ops.push([headKey(tlid), headValue(head.seq, head.cid)])
    heads.push(head)
  })
  for (const c of plan.capabilities) {
    const at = plan.timelines.findIndex(
      (t) => t.ref.bucket === c.ref.bucket && Buffer.from(t.ref.owner).equals(c.ref.owner),
    )
    ops.push([blockKey(c.cid.bytes), inlinePointer(tlids[at] ?? 0, c.bytes)])
    ops.push([capSealKey(c.cid.bytes), Buffer.from(encodeCanonical(c.seal))])
    addStored(c.ref.bucket, c.bytes.length)
  }
  // Erasures go last: a body stored and erased by the same plan ends up erased.
  for (const e of plan.erase) {
    const at = plan.timelines.findIndex(
      (t) => t.ref.bucket === e.ref.bucket && Buffer.from(t.ref.owner).equals(e.ref.owner),
    )
    ops.push([bodyKey(tlids[at]!, e.seq), null])
    ops.push([blockKey(e.cid.bytes), null])
  }
  if (ids.tl !== idsBefore.tl || ids.chunk !== idsBefore.chunk)
    ops.push([metaKey('ids'), Buffer.from(encodeCanonical(ids))])
  return { ops, ids, tlids, heads, stored }
}
