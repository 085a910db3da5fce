/**
 * verifyTimeline: walks a whole timeline from seq 0 and checks every envelope (canonical, CID from
 * the bytes), body block, seal (the entitled signer) and link, that seqs have no gap, and that the
 * last event is the head the node reports. Reports the first failure instead of throwing.
 * (Anchors on chain are not checked yet.)
 */
import { BadLinkError, toAccountId } from '@ddc/core'
import type { Context } from './context.js'
import { checkedEvents, readHead } from './read.js'

export interface VerifyFailure {
  code: string
  message: string
  seq?: number
  cid?: string
  node?: string
}

export interface VerifyReport {
  ok: boolean
  /** Events that passed every check. */
  checked: number
  head: { seq: number; cid: string } | null
  failure?: VerifyFailure
}

export async function verifyTimeline(
  ctx: Context,
  bucket: string,
  owner: string | Uint8Array,
  signal?: AbortSignal,
): Promise<VerifyReport> {
  const id = toAccountId(owner)
  let checked = 0
  let last: { seq: number; cid: string } | null = null
  try {
    for await (const ev of checkedEvents(ctx, bucket, id, { pageSize: 1000, ...(signal ? { signal } : {}) })) {
      if (ev.envelope.seq !== checked)
        throw new BadLinkError(`expected seq ${checked}, the node sent seq ${ev.envelope.seq}`)
      checked++
      last = { seq: ev.envelope.seq, cid: ev.cid.toString() }
    }
    const head = await readHead(ctx, bucket, id, signal)
    if ((head?.cid.toString() ?? null) !== (last?.cid ?? null))
      throw new BadLinkError(
        `the node's head ${head?.cid ?? 'none'} is not the last event read (${last?.cid ?? 'none'})`,
      )
    return { ok: true, checked, head: last }
  } catch (err) {
    const e = err as { code?: string; message?: string; details?: Record<string, unknown> }
    if (!e.code) throw err
    const d = e.details ?? {}
    const failure: VerifyFailure = { code: e.code, message: e.message ?? '' }
    if (typeof d.seq === 'number') failure.seq = d.seq
    if (typeof d.cid === 'string') failure.cid = d.cid
    if (typeof d.node === 'string') failure.node = d.node
    return { ok: false, checked, head: last, failure }
  }
}
