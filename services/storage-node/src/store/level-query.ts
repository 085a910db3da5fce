/**
 * Timeline reads on LevelDB, always through an index and never by walking `prev` links: a page of K
 * events costs O(K) (plus, for a type filter over a time range, the entries in that range).
 *  - no filter: the seq index, forwards or backwards (the tail of a long timeline is a reverse seek);
 *  - type: the (type, seq) index;
 *  - time range (optionally with type): the (ts, seq) index, whose values carry the type.
 * Each event comes back with its envelope (in the seq record) and body slot, read in key order.
 */

import { bodyKey, plain, readU64, seqKey, timeKey, typeKey } from './layout.js'
import type { Db, LevelStore } from './level.js'
import type { EventPage, EventQuery, QueryCursor } from './types.js'

const MAX = Number.MAX_SAFE_INTEGER

interface Position {
  seq: number
  ts?: number
  /** The seq record, when the walk already read it. */
  record?: Buffer
}

async function seqPositions(db: Db, tlid: number, q: EventQuery, lo: number, hi: number): Promise<Position[]> {
  if (lo > hi) return []
  const reverse = q.order === 'desc'
  if (!q.type) {
    const rows = await db.iterator({ gte: seqKey(tlid, lo), lte: seqKey(tlid, hi), reverse, limit: q.limit + 1 }).all()
    return rows.map(([k, v]) => ({ seq: readU64(k, 5), record: v }))
  }
  const keys = await db
    .keys({ gte: typeKey(tlid, q.type, lo), lte: typeKey(tlid, q.type, hi), reverse, limit: q.limit + 1 })
    .all()
  return keys.map((k) => ({ seq: readU64(k, k.length - 8) }))
}

async function timePositions(db: Db, tlid: number, q: EventQuery, lo: number, hi: number): Promise<Position[]> {
  const since = q.since ?? 0
  const until = q.until ?? MAX
  if (since >= until || lo > hi) return []
  const after = q.after?.ts !== undefined ? timeKey(tlid, q.after.ts, q.after.seq) : undefined
  const range: { gt?: Buffer; gte?: Buffer; lt?: Buffer; lte?: Buffer } = {}
  if (q.order === 'asc') {
    if (after) range.gt = after
    else range.gte = timeKey(tlid, since, 0)
    range.lt = timeKey(tlid, until, 0)
  } else {
    if (after) range.lt = after
    else range.lt = timeKey(tlid, until, 0)
    range.gte = timeKey(tlid, since, 0)
  }
  const out: Position[] = []
  const it = db.iterator({ ...range, reverse: q.order === 'desc' })
  try {
    while (out.length <= q.limit) {
      const rows = await it.nextv(Math.min(1024, (q.limit + 1) * 4))
      if (rows.length === 0) break
      for (const [k, v] of rows) {
        const seq = readU64(k, 13)
        if (seq < lo || seq > hi) continue
        if (q.type !== undefined && v.toString('utf8') !== q.type) continue
        out.push({ ts: readU64(k, 5), seq })
        if (out.length > q.limit) break
      }
    }
  } finally {
    await it.close()
  }
  return out
}

export async function queryEvents(store: LevelStore, tlid: number, q: EventQuery): Promise<EventPage> {
  let lo = q.fromSeq ?? 0
  let hi = q.toSeq ?? MAX
  const byTime = q.since !== undefined || q.until !== undefined
  if (q.after && !byTime) {
    if (q.order === 'asc') lo = Math.max(lo, q.after.seq + 1)
    else hi = Math.min(hi, q.after.seq - 1)
  }
  const positions = byTime
    ? await timePositions(store.db, tlid, q, lo, hi)
    : await seqPositions(store.db, tlid, q, lo, hi)
  const more = positions.length > q.limit
  const page = more ? positions.slice(0, q.limit) : positions
  const missing = page.filter((p) => !p.record)
  if (missing.length) {
    const records = await store.db.getMany(missing.map((p) => seqKey(tlid, p.seq)))
    missing.forEach((p, k) => {
      const rec = records[k]
      if (!rec) throw new Error(`index names seq ${p.seq} that the seq index lacks`)
      p.record = rec
    })
  }
  const bodies = await store.db.getMany(page.map((p) => bodyKey(tlid, p.seq)))
  const events = await Promise.all(
    page.map((p, k) => {
      const b = bodies[k]
      return store.storedEvent(p.seq, p.record!, b ? plain(b) : null)
    }),
  )
  const last = page[page.length - 1]
  const next: QueryCursor | undefined =
    more && last ? (byTime ? { seq: last.seq, ts: last.ts! } : { seq: last.seq }) : undefined
  return next ? { events, next } : { events }
}
