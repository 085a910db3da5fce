/**
 * verifyTimeline: walks a whole timeline from seq 0 and checks every envelope (canonical, CID from
 * the bytes), body block, seal (the entitled signer) and link, that seqs have no gap, and that the
 * last event is the head the node reports. With a `chain`, it also checks the time capsule
 * (DESIGN.md "Anchoring"): the timeline's latest anchored head, proven by a Merkle path
 * (verifyAnchorProof from @ddc/core) to a root that the chain holds in a finalized block, is the event
 * the walk met at that seq — so every event up to it existed, unchanged, by that block. Events after
 * it are reported as not yet anchored (a failure with `requireAnchored`).
 * Reports the first failure by name (code, seq, cid) instead of throwing.
 *
 * verifyBucket does the same for every timeline of a bucket and stops at the first failure.
 */
import type { Chain } from '@ddc/chain'
import {
  type AnchorProofJson,
  anchorProofFromJson,
  BadLinkError,
  BadProofError,
  bytesEqual,
  NotAnchoredError,
  toAccountId,
  toAddress,
  verifyAnchorProof,
} from '@ddc/core'
import { type Context, readCall } from './context.js'
import { isRetryable } from './errors.js'
import { checkedEvents, readHead } from './read.js'
import { listTimelines } from './traverse.js'

export interface VerifyFailure {
  code: string
  message: string
  seq?: number
  cid?: string
  node?: string
}

/** The anchor that covers a timeline up to `head`, and where the chain holds it. */
export interface AnchorCoverage {
  /** CID of the anchor tree's root block (what the chain holds). */
  root: string
  head: { seq: number; cid: string }
  block: { number: number; hash: string }
  txHash: string
  finalized: boolean
  period?: number
  /** The node that served the proof. */
  node: string
}

export interface VerifyReport {
  ok: boolean
  /** Events that passed every check. */
  checked: number
  head: { seq: number; cid: string } | null
  failure?: VerifyFailure
  /** With a chain: the latest anchor in a finalized block (null: none yet). */
  anchor?: AnchorCoverage | null
  /** With a chain: events newer than that anchor, from `from` on. */
  unanchored?: { from: number; count: number }
}

export interface VerifyOptions {
  signal?: AbortSignal
  /** Checks anchors on this chain (without one: signatures and links only). */
  chain?: Chain
  /** Fails (ERR_NOT_ANCHORED) when an event is not yet covered by a finalized anchor. */
  requireAnchored?: boolean
}

interface ProofAnswer {
  event: { seq: number; cid: string }
  proof: AnchorProofJson
  anchor: { root: string; block: { number: number; hash: string } }
}

const optionsOf = (o?: AbortSignal | VerifyOptions): VerifyOptions =>
  o === undefined ? {} : o instanceof AbortSignal ? { signal: o } : o

/**
 * The best anchor proof the timeline's replicas hold (only the primary anchors, so ask each), checked
 * alone and against the chain. Undefined when no replica has one, or its block is not final yet.
 */
async function latestAnchor(
  ctx: Context,
  chain: Chain,
  bucket: string,
  owner: Uint8Array,
  signal?: AbortSignal,
): Promise<AnchorCoverage | undefined> {
  let best: { answer: ProofAnswer; node: string } | undefined
  for (const r of await ctx.locator.replicas(bucket, owner, signal)) {
    const url = `${r.url}/buckets/${encodeURIComponent(bucket)}/timelines/${toAddress(owner)}/anchor`
    try {
      const answer = (await (await readCall(ctx, bucket, url, signal ? { signal } : {})).json()) as ProofAnswer
      if (!best || answer.proof.head.seq > best.answer.proof.head.seq) best = { answer, node: r.url }
    } catch (err) {
      if (!(err instanceof NotAnchoredError) && !isRetryable(err)) throw err
    }
  }
  if (!best) return undefined
  const { answer, node } = best
  const where = { node, seq: answer.proof.head?.seq, cid: answer.proof.head?.cid, root: answer.proof.root }
  const proof = anchorProofFromJson(answer.proof)
  if (proof.leaf.bucket !== bucket || !bytesEqual(proof.leaf.owner, owner))
    throw new BadProofError(`${node} answered the anchor proof of another timeline`, { details: where })
  let root: ReturnType<typeof verifyAnchorProof>
  try {
    root = verifyAnchorProof(proof)
  } catch (err) {
    throw new BadProofError((err as Error).message, { details: where, cause: err })
  }
  const onChain = await chain.findAnchor(proof.root, { at: answer.anchor.block.number, ...(signal ? { signal } : {}) })
  if (!onChain)
    throw new BadProofError(`anchor root ${proof.root} is not on chain: the proof is forged`, { details: where })
  if (onChain.count !== root.count)
    throw new BadProofError(`anchor ${proof.root} covers ${onChain.count} heads on chain, not ${root.count}`, {
      details: where,
    })
  if (!onChain.finalized) return undefined
  return {
    root: proof.root.toString(),
    head: { seq: proof.leaf.length - 1, cid: proof.leaf.head.toString() },
    block: onChain.block,
    txHash: onChain.txHash,
    finalized: true,
    ...(onChain.period === undefined ? {} : { period: onChain.period }),
    node,
  }
}

function failureOf(err: unknown): VerifyFailure {
  const e = err as { code?: string; message?: string; details?: Record<string, unknown> }
  if (!e.code) throw err
  const d = e.details ?? {}
  const failure: VerifyFailure = { code: e.code, message: e.message ?? '' }
  if (typeof d.seq === 'number') failure.seq = d.seq
  if (typeof d.cid === 'string') failure.cid = d.cid
  if (typeof d.node === 'string') failure.node = d.node
  return failure
}

export async function verifyTimeline(
  ctx: Context,
  bucket: string,
  owner: string | Uint8Array,
  options?: AbortSignal | VerifyOptions,
): Promise<VerifyReport> {
  const { signal, chain, requireAnchored } = optionsOf(options)
  const id = toAccountId(owner)
  let checked = 0
  let last: { seq: number; cid: string } | null = null
  let anchor: AnchorCoverage | null | undefined
  let firstUnanchored: { seq: number; cid: string } | undefined
  const coverage = () => {
    if (!chain) return {}
    const from = anchor ? anchor.head.seq + 1 : 0
    return { anchor: anchor ?? null, unanchored: { from, count: Math.max(0, checked - from) } }
  }
  try {
    // The anchor first: events appended during the walk are then simply newer than it.
    if (chain) anchor = (await latestAnchor(ctx, chain, bucket, id, signal)) ?? null
    for await (const ev of checkedEvents(ctx, bucket, id, { pageSize: 1000, ...(signal ? { signal } : {}) })) {
      const seq = ev.envelope.seq
      if (seq !== checked) throw new BadLinkError(`expected seq ${checked}, the node sent seq ${seq}`)
      const cid = ev.cid.toString()
      if (anchor && seq === anchor.head.seq && cid !== anchor.head.cid) {
        throw new BadProofError(
          `event ${seq} is ${cid}, but the chain anchored ${anchor.head.cid} at that seq: the history was rewritten`,
          { details: { seq, cid, node: ev.node } },
        )
      }
      if (chain && !firstUnanchored && seq > (anchor?.head.seq ?? -1)) firstUnanchored = { seq, cid }
      checked++
      last = { seq, cid }
    }
    if (anchor && checked <= anchor.head.seq)
      throw new BadLinkError(`the chain anchored seq ${anchor.head.seq}, but the timeline ends at ${checked - 1}`, {
        details: { seq: checked },
      })
    const head = await readHead(ctx, bucket, id, signal)
    if ((head?.cid.toString() ?? null) !== (last?.cid ?? null))
      throw new BadLinkError(
        `the node's head ${head?.cid ?? 'none'} is not the last event read (${last?.cid ?? 'none'})`,
      )
    if (requireAnchored && firstUnanchored)
      throw new NotAnchoredError(`event ${firstUnanchored.seq} is not covered by a finalized anchor yet`, {
        details: firstUnanchored,
      })
    return { ok: true, checked, head: last, ...coverage() }
  } catch (err) {
    return { ok: false, checked, head: last, failure: failureOf(err), ...coverage() }
  }
}

export interface BucketVerifyReport {
  ok: boolean
  bucket: string
  /** One report per timeline verified, in listing order; the last one failed when `ok` is false. */
  timelines: (VerifyReport & { owner: string })[]
  failure?: VerifyFailure & { owner: string }
}

/** verifyTimeline over every timeline of the bucket (through the CLS or the client's nodes). */
export async function verifyBucket(
  ctx: Context,
  bucket: string,
  options: VerifyOptions = {},
): Promise<BucketVerifyReport> {
  const timelines: BucketVerifyReport['timelines'] = []
  for await (const t of listTimelines(ctx, bucket, options.signal ? { signal: options.signal } : {})) {
    const r = await verifyTimeline(ctx, bucket, t.owner, options)
    timelines.push({ owner: t.owner, ...r })
    if (r.failure) return { ok: false, bucket, timelines, failure: { owner: t.owner, ...r.failure } }
  }
  return { ok: true, bucket, timelines }
}
