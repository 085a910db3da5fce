/**
 * A full consistency check of a LevelDB store (used after crashes in tests and by `--check`): every
 * block pointer resolves to bytes that hash to its CID; every timeline is a gap-free sequence from
 * seq 0 whose envelopes decode, belong to it, link by `prev`, are pointed to by their CID, and end at
 * the recorded head; every seal rebuilds and, with `signatures`, verifies.
 */
import { CID, decodeEnvelope, verifyEvent } from '@ddc/core'
import { blockKey, decodeHead, decodePointer, headKey, P, readU64, timelineKey } from './layout.js'
import type { LevelStore } from './level.js'
import type { CheckReport } from './types.js'

const range = (p: number) => ({ gt: Buffer.of(p), lt: Buffer.of(p + 1) })

export async function checkStore(store: LevelStore, opts: { signatures?: boolean } = {}): Promise<CheckReport> {
  const db = store.db
  const report: CheckReport = { blocks: 0, timelines: 0, events: 0, redacted: 0, errors: [] }
  const fail = (msg: string) => {
    if (report.errors.length < 100) report.errors.push(msg)
  }
  for await (const key of db.keys(range(P.block))) {
    report.blocks++
    const cid = CID.decode(key.subarray(1))
    try {
      // getBlock follows the pointer and checks the bytes against the CID.
      if (!(await store.getBlock(cid))) throw new Error('points to a missing slot')
    } catch (err) {
      fail(`block ${cid}: ${(err as Error).message}`)
    }
  }
  for await (const k of db.keys(range(P.timelineInfo))) {
    report.timelines++
    const tlid = k.readUInt32BE(1)
    const ref = await store.refOf(tlid)
    const name = `timeline ${tlid}`
    if (!ref) {
      fail(`${name}: no bucket/owner record`)
      continue
    }
    const id = await db.get(timelineKey(ref.bucket, ref.owner))
    if (!id || id.readUInt32BE(0) !== tlid) fail(`${name}: bucket index does not name it`)
    const h = await db.get(headKey(tlid))
    if (!h) {
      fail(`${name}: no head`)
      continue
    }
    const head = decodeHead(h)
    let prev: CID | null = null
    let expected = 0
    const first = Buffer.alloc(5)
    first[0] = P.seq
    first.writeUInt32BE(tlid, 1)
    const last = Buffer.from(first)
    last.writeUInt32BE(tlid + 1, 1)
    for await (const [sk, sv] of db.iterator({ gt: first, lt: last })) {
      const seq = readU64(sk, 5)
      report.events++
      if (seq !== expected) fail(`${name}: seq ${seq} where ${expected} was expected`)
      expected = seq + 1
      try {
        const ev = await store.storedEvent(seq, sv)
        const block = await store.getBlock(ev.cid)
        if (!block) throw new Error(`envelope ${ev.cid} is not reachable by its CID`)
        const { envelope } = decodeEnvelope(block.bytes)
        if (envelope.seq !== seq || envelope.bucket !== ref.bucket || !Buffer.from(envelope.owner).equals(ref.owner))
          throw new Error(`envelope ${ev.cid} belongs elsewhere`)
        if ((envelope.prev === null) !== (prev === null) || (prev && !envelope.prev?.equals(prev)))
          throw new Error(`envelope ${ev.cid} does not link to seq ${seq - 1}`)
        const p = decodePointer((await db.get(blockKey(ev.cid.bytes)))!)
        if (p.kind !== 'envelope' || p.tlid !== tlid || p.seq !== seq)
          throw new Error(`envelope ${ev.cid} is not located at its seq`)
        if (envelope.body && !(await store.hasBlock(envelope.body))) report.redacted++
        if (opts.signatures) verifyEvent({ cid: ev.cid, envelope, seal: ev.seal })
        prev = ev.cid
      } catch (err) {
        fail(`${name} seq ${seq}: ${(err as Error).message}`)
      }
    }
    if (expected !== head.seq + 1 || !prev?.equals(head.cid)) fail(`${name}: head is not the last event`)
  }
  return report
}
