/**
 * The anchorer (DESIGN.md "Anchoring"): every period, the timelines this node is primary for whose
 * head moved since their last anchor become the leaves of an anchor tree (@ddc/core anchor-proof),
 * stored as DAG-CBOR blocks, and the tree's root goes on chain through `Chain.submitAnchor`, signed by
 * the node's key.
 *
 * Crash safety: the tree, its per-timeline entries, the new anchored heads and a `pending` marker are
 * written in one durable batch before the root is submitted; a pending root is submitted again (or
 * found on chain) before any new tree is built. So nothing changed is ever forgotten: what changed is
 * derived from durable heads, and what was built is retried until the chain has it.
 */
import { AlreadyExistsError, type AnchorRecord, type Chain } from '@ddc/chain'
import { type AnchorLeaf, buildAnchorTree, toHex } from '@ddc/core'
import type { TimelineRef, TimelineStore } from '../store/types.js'
import {
  type AnchorEntry,
  type AnchoredHead,
  decode,
  encode,
  entryRecord,
  headRecord,
  PENDING,
  type PendingAnchor,
  type RootInclusion,
  rootRecord,
} from './records.js'

export interface AnchorerInit {
  store: TimelineStore
  /** Signs with the node's key. */
  chain: Chain
  /** Anchoring period in ms. */
  periodMs: number
  /** Whether this node anchors the timeline (the primary replica does); default: every timeline it holds. */
  isPrimary?: (bucket: string, owner: Uint8Array) => boolean | Promise<boolean>
  /** Most timeline heads in one tree; the rest wait for the next period. */
  maxLeaves?: number
  now?: () => number
  onError?: (err: unknown) => void
  onAnchor?: (a: AnchorRecord) => void
}

export interface Anchorer {
  /** Runs one anchoring round now (finishing a pending one first); answers the new anchor, if any. */
  anchorNow(): Promise<AnchorRecord | undefined>
  close(): Promise<void>
}

const PAGE = 1000

export function createAnchorer(init: AnchorerInit): Anchorer {
  const { store, chain } = init
  const now = init.now ?? Date.now
  const isPrimary = init.isPrimary ?? (() => true)
  const maxLeaves = init.maxLeaves ?? 100_000
  let running: Promise<AnchorRecord | undefined> | undefined
  let busy = false
  let closed = false

  /** Submits the root (or finds it, when an earlier attempt landed) and records its inclusion. */
  async function confirm(p: PendingAnchor): Promise<AnchorRecord> {
    let record: AnchorRecord | undefined
    try {
      record = await chain.submitAnchor({ root: p.root, count: p.count, period: p.period })
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err
      const d = err.details as { block?: number } | undefined
      record = await chain.findAnchor(p.root, d?.block === undefined ? {} : { at: d.block })
      if (!record) throw err
    }
    const inclusion: RootInclusion = {
      count: p.count,
      period: p.period,
      txHash: record.txHash,
      block: record.block,
      finalized: record.finalized,
      timestamp: record.timestamp,
    }
    await store.putRecords({ put: [[rootRecord(p.root), encode(inclusion)]], del: [PENDING] })
    init.onAnchor?.(record)
    return record
  }

  /** Heads of the timelines this node anchors that moved since their last anchor. */
  async function changed(): Promise<{ ref: TimelineRef; seq: number; leaf: AnchorLeaf }[]> {
    const out: { ref: TimelineRef; seq: number; leaf: AnchorLeaf }[] = []
    for (const bucket of await store.buckets()) {
      let after: Uint8Array | undefined
      for (;;) {
        const page = await store.timelines(bucket, { limit: PAGE, ...(after ? { after } : {}) })
        if (page.length === 0) break
        after = page[page.length - 1]!.owner
        const last = await store.getRecords(page.map((t) => headRecord(t)))
        for (const [k, t] of page.entries()) {
          const prev = last[k] && decode<AnchoredHead>(last[k])
          if (prev && prev.seq >= t.head.seq) continue
          if (!(await isPrimary(t.bucket, t.owner))) continue
          out.push({
            ref: { bucket: t.bucket, owner: t.owner },
            seq: t.head.seq,
            leaf: { bucket: t.bucket, owner: t.owner, head: t.head.cid, length: t.length },
          })
          if (out.length >= maxLeaves) return out
        }
        if (page.length < PAGE) break
      }
    }
    return out
  }

  async function round(): Promise<AnchorRecord | undefined> {
    const pending = await store.getRecords([PENDING])
    if (pending[0]) await confirm(decode<PendingAnchor>(pending[0]))
    const heads = await changed()
    if (heads.length === 0) return undefined
    const period = Math.floor(now() / init.periodMs)
    const tree = buildAnchorTree(
      heads.map((h) => h.leaf),
      { period },
    )
    const seqOf = new Map(heads.map((h) => [`${h.ref.bucket}\0${toHex(h.ref.owner)}`, h.seq]))
    const put: [string, Uint8Array][] = []
    tree.leaves.forEach((leaf, index) => {
      const ref = { bucket: leaf.bucket, owner: leaf.owner }
      const seq = seqOf.get(`${leaf.bucket}\0${toHex(leaf.owner)}`)!
      const entry: AnchorEntry = { root: tree.root, index, head: leaf.head, path: tree.paths[index]! }
      put.push([entryRecord(ref, seq), encode(entry)], [headRecord(ref), encode({ seq } satisfies AnchoredHead)])
    })
    const p: PendingAnchor = { root: tree.root, count: tree.leaves.length, period }
    put.push([PENDING, encode(p)])
    await store.putRecords({ blocks: tree.blocks, put })
    return confirm(p)
  }

  const anchorNow = (): Promise<AnchorRecord | undefined> => {
    // One round at a time: a timer tick during a slow submission waits for it.
    const next = (running ?? Promise.resolve(undefined)).catch(() => undefined).then(round)
    running = next
    busy = true
    void next.then(
      () => {
        if (running === next) busy = false
      },
      () => {
        if (running === next) busy = false
      },
    )
    return next
  }

  const timer = setInterval(() => {
    // A slow chain makes rounds longer than the period: skip ticks rather than queue them.
    if (closed || busy) return
    anchorNow().catch((err) => init.onError?.(err))
  }, init.periodMs)
  timer.unref()

  return {
    anchorNow,
    async close() {
      closed = true
      clearInterval(timer)
      await running?.catch(() => undefined)
    },
  }
}
