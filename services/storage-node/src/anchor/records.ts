/**
 * What a node remembers about its anchors, as store records (TimelineStore.putRecords), so that it
 * survives `kill -9`: which head of each timeline was anchored last (what "changed since the last
 * anchor" is measured against), one entry per (timeline, anchored head) for proofs, each root's
 * inclusion on chain once known, and the one tree that is built but not yet confirmed on chain.
 *
 *   anchor/head/<timeline>            → { seq }                        last anchored head
 *   anchor/at/<timeline>/<seq hex16>  → { root, index, head }          the anchor of that head
 *   anchor/root/<root CID>            → { count, period?, txHash, block, finalized, timestamp }
 *   anchor/pending                    → { root, count, period }        submit until on chain
 *
 * <timeline> is `<bucket> 0x00 <owner hex>`; seqs are fixed-width hex so name order is seq order.
 */
import { type CID, decodeCanonical, encodeCanonical, toHex } from '@ddc/core'
import type { TimelineRef } from '../store/types.js'

export const PENDING = 'anchor/pending'

const timelineName = (ref: TimelineRef) => `${ref.bucket}\u0000${toHex(ref.owner)}`
const seqHex = (seq: number) => seq.toString(16).padStart(16, '0')

export const headRecord = (ref: TimelineRef) => `anchor/head/${timelineName(ref)}`
export const entryPrefix = (ref: TimelineRef) => `anchor/at/${timelineName(ref)}/`
export const entryRecord = (ref: TimelineRef, seq: number) => `${entryPrefix(ref)}${seqHex(seq)}`
export const rootRecord = (root: CID) => `anchor/root/${root.toString()}`

export interface AnchoredHead {
  seq: number
}

/** One timeline head in one tree: its leaf index, head envelope and audit path. */
export interface AnchorEntry {
  root: CID
  index: number
  head: CID
  path: Uint8Array[]
}

export interface PendingAnchor {
  root: CID
  count: number
  period: number
}

export interface RootInclusion {
  count: number
  period?: number
  txHash: string
  block: { number: number; hash: string }
  finalized: boolean
  timestamp: number
}

export const encode = (v: unknown): Uint8Array => encodeCanonical(v)
export const decode = <T>(v: Uint8Array): T => decodeCanonical<T>(v)
