/**
 * CAR v1 streams: the IPFS trustless-gateway DAG walk (depth-first, links in the order they appear
 * in each block, each block once) and the whole-timeline export, which walks the seq index from the
 * head down instead of following `prev` links one block at a time.
 */
import { Readable } from 'node:stream'
import { CID, cidOf, DAG_CBOR, encodeCanonical } from '@ddc/core'
import { CarWriter } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import type { Block, TimelineRef, TimelineStore } from './store/types.js'
import { loadEvents } from './timeline.js'

export interface CarBlock {
  cid: CID
  bytes: Uint8Array
}

/** Streams `blocks` as a CAR v1 with the given roots; the producer stops when the client goes away. */
export function carStream(roots: CID[], blocks: AsyncIterable<CarBlock>): Readable {
  const { writer, out } = CarWriter.create(roots)
  const stream = Readable.from(out)
  void (async () => {
    try {
      for await (const b of blocks) {
        if (stream.destroyed) break
        await writer.put(b)
      }
    } finally {
      await writer.close()
    }
  })().catch((err) => stream.destroy(err))
  return stream
}

/** CID links of a DAG-CBOR value in encoding order (maps are decoded in canonical key order). */
export function linksOf(value: unknown, out: CID[] = []): CID[] {
  const cid = CID.asCID(value)
  if (cid) out.push(cid)
  else if (Array.isArray(value)) for (const v of value) linksOf(v, out)
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array))
    for (const v of Object.values(value)) linksOf(v, out)
  return out
}

export type Scope = 'block' | 'entity' | 'all'

/**
 * Depth-first, pre-order walk from `root` (trustless gateway `order=dfs`, `dups=n`). Blocks the
 * caller may not read, or that are gone (erased bodies), are skipped. For DAG-CBOR, `entity` is
 * `block` (the spec's rule for non-UnixFS data).
 */
export async function* walkDag(
  store: TimelineStore,
  root: CID,
  first: Block,
  scope: Scope,
  mayRead: (b: Block) => Promise<boolean>,
): AsyncIterable<CarBlock> {
  const seen = new Set<string>()
  const stack: { cid: CID; block?: Block }[] = [{ cid: root, block: first }]
  while (stack.length) {
    const { cid, block: known } = stack.pop()!
    const key = cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    const block = known ?? (await store.getBlock(cid))
    if (!block || !(await mayRead(block))) continue
    yield { cid, bytes: block.bytes }
    if (scope !== 'all' || cid.code !== DAG_CBOR) continue
    let links: CID[]
    try {
      links = linksOf(dagCbor.decode(block.bytes))
    } catch {
      continue // a body block that is not DAG-CBOR has no links to follow
    }
    for (let k = links.length - 1; k >= 0; k--) stack.push({ cid: links[k]! })
  }
}

/**
 * A whole timeline, newest first: each envelope, its capability chain (first use), its body, then a
 * seal block `{event, seal}` (DAG-CBOR, not linked from the DAG) so the export verifies offline.
 */
export async function* exportTimeline(store: TimelineStore, ref: TimelineRef): AsyncIterable<CarBlock> {
  const seen = new Set<string>()
  let after: { seq: number } | undefined
  for (;;) {
    const page = await store.query(ref, { order: 'desc', limit: 500, ...(after ? { after } : {}) })
    const events = await loadEvents(store, page.events)
    for (const e of events) {
      yield { cid: e.cid, bytes: e.bytes }
      for (let cap = e.envelope.cap; cap && !seen.has(cap.toString()); ) {
        seen.add(cap.toString())
        const b = await store.getBlock(cap)
        if (!b) break
        yield { cid: cap, bytes: b.bytes }
        cap = (dagCbor.decode(b.bytes) as { prf?: CID }).prf
      }
      if (e.body && e.envelope.body) yield { cid: e.envelope.body, bytes: e.body }
      const sealBlock = encodeCanonical({ event: e.cid, seal: e.seal })
      yield { cid: cidOf(sealBlock), bytes: sealBlock }
    }
    if (!page.next) return
    after = page.next
  }
}
