/**
 * Reading blocks by CID on LevelDB: resolve the `b` pointers, then read the event records and body
 * slots they name — two batched reads however many blocks — and check every block against its CID.
 */
import { type CID, UnavailableError, verifyBlock } from '@ddc/core'
import { blockKey, bodyKey, decodeEventRecord, decodePointer, plain, seqKey } from './layout.js'
import type { Db } from './level.js'
import type { Block, TimelineRef } from './types.js'

export async function readBlocks(
  db: Db,
  cids: readonly CID[],
  refOf: (tlid: number) => Promise<TimelineRef | undefined>,
): Promise<(Block | undefined)[]> {
  if (cids.length === 0) return []
  const pointers = (await db.getMany(cids.map((c) => blockKey(c.bytes)))).map((v) => (v ? decodePointer(v) : undefined))
  const slots = pointers.flatMap((p) =>
    p && p.kind !== 'inline' ? [p.kind === 'envelope' ? seqKey(p.tlid, p.seq) : bodyKey(p.tlid, p.seq)] : [],
  )
  const found = slots.length ? await db.getMany(slots) : []
  let next = 0
  return Promise.all(
    pointers.map(async (p, k) => {
      if (!p) return undefined
      let bytes: Uint8Array | undefined
      if (p.kind === 'inline') bytes = p.bytes
      else {
        const v = found[next++]
        if (v) bytes = p.kind === 'envelope' ? decodeEventRecord(v).env : plain(v)
      }
      if (!bytes) return undefined
      const cid = cids[k]!
      try {
        verifyBlock(cid, bytes)
      } catch (err) {
        throw new UnavailableError(`stored block ${cid} is corrupt; this node cannot serve it`, { cause: err })
      }
      const ref = p.tlid ? await refOf(p.tlid) : undefined
      return ref ? { bytes, ref } : { bytes }
    }),
  )
}
