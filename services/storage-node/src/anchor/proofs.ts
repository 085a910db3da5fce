/**
 * Proofs for events (DESIGN.md "Anchoring"): the first anchor whose head is at or after the event's
 * seq, with its Merkle path, root block and the block and transaction that hold the root. The hash
 * links from the event to that head are the timeline itself (readers walk them).
 */
import { type AnchorProofJson, anchorProofToJson, type CID, NotAnchoredError, toAddress } from '@ddc/core'
import type { TimelineRef, TimelineStore } from '../store/types.js'
import { type AnchorEntry, decode, entryPrefix, entryRecord, type RootInclusion, rootRecord } from './records.js'

export interface EventProof {
  event: { seq: number; cid: string }
  proof: AnchorProofJson
  anchor: RootInclusion & { root: string }
}

interface Found {
  headSeq: number
  entry: AnchorEntry
  inclusion: RootInclusion
}

/** Anchor entries of `ref` from `from` in the given order, skipping roots not confirmed on chain yet. */
async function confirmedEntry(
  store: TimelineStore,
  ref: TimelineRef,
  from: string | undefined,
  reverse: boolean,
): Promise<Found | undefined> {
  const prefix = entryPrefix(ref)
  // At most one root is pending at a time, so two entries always reach a confirmed one if any.
  const rows = await store.listRecords({ prefix, ...(from ? { from } : {}), reverse, limit: 2 })
  for (const [name, value] of rows) {
    const entry = decode<AnchorEntry>(value)
    const [inc] = await store.getRecords([rootRecord(entry.root)])
    if (inc) return { headSeq: Number.parseInt(name.slice(prefix.length), 16), entry, inclusion: decode(inc) }
    if (!reverse) return undefined
  }
  return undefined
}

async function proofOf(
  store: TimelineStore,
  ref: TimelineRef,
  found: Found,
  event: { seq: number; cid: CID },
  ss58Prefix: number,
) {
  const block = await store.getBlock(found.entry.root)
  if (!block) throw new NotAnchoredError(`anchor tree ${found.entry.root} is missing from this node`)
  const proof = anchorProofToJson(
    {
      leaf: { bucket: ref.bucket, owner: ref.owner, head: found.entry.head, length: found.headSeq + 1 },
      index: found.entry.index,
      path: found.entry.path,
      root: found.entry.root,
      rootBlock: block.bytes,
    },
    ss58Prefix,
  )
  return {
    event: { seq: event.seq, cid: event.cid.toString() },
    proof,
    anchor: { root: found.entry.root.toString(), ...found.inclusion },
  } satisfies EventProof
}

/** The proof for the event at `seq` of `ref`, through the first anchored head at or after it. */
export async function proofForEvent(
  store: TimelineStore,
  ref: TimelineRef,
  event: { seq: number; cid: CID },
  ss58Prefix: number,
): Promise<EventProof> {
  const found = await confirmedEntry(store, ref, entryRecord(ref, event.seq), false)
  if (!found) {
    throw new NotAnchoredError(`no anchor on chain covers seq ${event.seq} yet; ask again after the next period`, {
      details: { seq: event.seq, cid: event.cid.toString() },
    })
  }
  return proofOf(store, ref, found, event, ss58Prefix)
}

/** The proof of the timeline's most recent head confirmed on chain (it covers every event up to it). */
export async function latestProof(store: TimelineStore, ref: TimelineRef, ss58Prefix: number): Promise<EventProof> {
  const found = await confirmedEntry(store, ref, undefined, true)
  if (!found) {
    throw new NotAnchoredError(`timeline ${toAddress(ref.owner, ss58Prefix)} in ${ref.bucket} has no anchor yet`)
  }
  return proofOf(store, ref, found, { seq: found.headSeq, cid: found.entry.head }, ss58Prefix)
}
