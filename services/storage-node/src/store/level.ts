/**
 * The LevelDB engine (classic-level). Appends are compare-and-set against an in-memory head cache
 * that includes plans not yet on disk, so a client may pipeline appends to one timeline; the check
 * and the queuing of a plan's operations happen in one synchronous step, and the group committer
 * makes them durable together with whatever else arrived meanwhile. Readers only ever see LevelDB,
 * i.e. durable state. Key layout: layout.ts.
 */

import {
  type CID,
  ConflictError,
  decodeCanonical,
  parseSeal,
  type Seal,
  toAddress,
  toHex,
  UnavailableError,
} from '@ddc/core'
import { ClassicLevel } from 'classic-level'
import { checkStore } from './check.js'
import { type CommitStats, GroupCommit } from './group-commit.js'
import {
  blockKey,
  bodyKey,
  capSealKey,
  chunkKey,
  decodeEventRecord,
  decodeHead,
  decodePointer,
  headKey,
  inlinePointer,
  metaKey,
  P,
  plain,
  seqKey,
  timelineInfoKey,
  timelineKey,
  timelinePrefix,
} from './layout.js'
import { readBlocks } from './level-blocks.js'
import { planOps } from './level-ops.js'
import { queryEvents } from './level-query.js'
import { ChunkCache, type OpenChunk, openChunk, sealFromChunk } from './seal-chunks.js'
import type {
  AppendPlan,
  Block,
  CheckReport,
  EventPage,
  EventQuery,
  Head,
  RecordQuery,
  RecordWrite,
  StoredEvent,
  TimelineInfo,
  TimelineRef,
  TimelineStore,
  Usage,
} from './types.js'
import { UsageBook } from './usage.js'

export interface LevelStoreInit {
  dir: string
  /** LevelDB block cache in bytes (default 64 MiB). */
  cacheSize?: number
  /** LevelDB memtable size in bytes (default 32 MiB): larger means fewer, bigger flushes. */
  writeBufferSize?: number
  /** How often read accounting is written when nothing else is (ms, default 2000). */
  usageFlushMs?: number
  onCommit?: (s: CommitStats) => void
}

export type Db = ClassicLevel<Buffer, Buffer>

/** Timelines whose ids and heads stay cached; beyond this the caches are dropped when idle. */
const MAX_CACHED_TIMELINES = 200_000

/** Records live in the meta table under this prefix (beside `M ids`). */
const recordKey = (name: string) => metaKey(`rec/${name}`)
const RECORD_PREFIX = recordKey('').length

const refKey = (ref: TimelineRef) => `${ref.bucket}\0${toHex(ref.owner)}`
const sameHead = (a: Head | null, b: Head | null) =>
  a === null || b === null ? a === b : a.seq === b.seq && a.cid.equals(b.cid)

export async function openLevelStore(init: LevelStoreInit): Promise<LevelStore> {
  const db: Db = new ClassicLevel<Buffer, Buffer>(init.dir, {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
    cacheSize: init.cacheSize ?? 64 * 1024 * 1024,
    writeBufferSize: init.writeBufferSize ?? 32 * 1024 * 1024,
  })
  await db.open()
  const store = new LevelStore(db, init)
  await store.load()
  return store
}

export class LevelStore implements TimelineStore {
  readonly db: Db
  readonly #commit: GroupCommit
  readonly #usage = new UsageBook()
  readonly #chunks = new ChunkCache()
  /** refKey → timeline id (null: known not to exist). Includes timelines of plans not yet durable. */
  readonly #tlids = new Map<string, number | null>()
  readonly #refs = new Map<number, TimelineRef>()
  /** Heads including plans not yet durable: what compare-and-set compares against. */
  readonly #heads = new Map<number, Head>()
  readonly #buckets = new Set<string>()
  #ids = { tl: 1, chunk: 1 }
  #failed: Error | null = null
  readonly #timer: NodeJS.Timeout

  constructor(db: Db, init: LevelStoreInit) {
    this.db = db
    this.#commit = new GroupCommit(
      db,
      (s) => {
        this.#failed = null
        init.onCommit?.(s)
        if (this.#tlids.size > MAX_CACHED_TIMELINES && !this.#commit.busy) this.#dropCaches()
      },
      (err) => {
        this.#failed = err
        this.#dropCaches()
        void this.load().catch(() => {})
      },
    )
    this.#timer = setInterval(() => {
      if (this.#usage.dirty && !this.#commit.busy) this.#commit.add(this.#usage.takeOps(), 0).catch(() => {})
    }, init.usageFlushMs ?? 2000)
    this.#timer.unref()
  }

  /** Loads counters, buckets and usage (at open, and again after a failed write). */
  async load(): Promise<void> {
    const ids = await this.db.get(metaKey('ids'))
    if (ids) this.#ids = decodeCanonical<{ tl: number; chunk: number }>(ids)
    for await (const key of this.db.keys({ gt: Buffer.of(P.bucket), lt: Buffer.of(P.bucket + 1) }))
      this.#buckets.add(key.subarray(1).toString('utf8'))
    for await (const [key, value] of this.db.iterator({ gt: Buffer.of(P.usage), lt: Buffer.of(P.usage + 1) }))
      this.#usage.load(key.subarray(1).toString('utf8'), value)
  }

  #dropCaches(): void {
    this.#tlids.clear()
    this.#heads.clear()
    this.#refs.clear()
    this.#chunks.clear()
  }

  async #loadRef(ref: TimelineRef): Promise<void> {
    const key = refKey(ref)
    const known = this.#tlids.get(key)
    if (known === null || (known !== undefined && this.#heads.has(known))) return
    const v = await this.db.get(timelineKey(ref.bucket, ref.owner))
    if (!this.#tlids.has(key)) this.#tlids.set(key, v ? v.readUInt32BE(0) : null)
    const tlid = this.#tlids.get(key)
    if (!tlid) return
    this.#refs.set(tlid, ref)
    if (this.#heads.has(tlid)) return
    const h = await this.db.get(headKey(tlid))
    if (h && !this.#heads.has(tlid)) this.#heads.set(tlid, decodeHead(h))
  }

  async apply(plan: AppendPlan): Promise<Head[]> {
    // Loading is async, the check is not: retry when a cache entry was dropped in between.
    for (let attempt = 0; attempt < 5; attempt++) {
      await Promise.all(plan.timelines.map((t) => this.#loadRef(t.ref)))
      const done = this.#tryApply(plan)
      if (done) return done
    }
    throw new UnavailableError('the store could not load the timelines of this append; try again')
  }

  /** The synchronous heart of an append: check every head, build every operation, queue them. */
  #tryApply(plan: AppendPlan): Promise<Head[]> | null {
    const current: (number | null)[] = []
    for (const t of plan.timelines) {
      const tlid = this.#tlids.get(refKey(t.ref))
      if (tlid === undefined) return null
      const head = tlid === null ? null : this.#heads.get(tlid)
      if (head === undefined) return null
      if (!sameHead(head, t.expect)) {
        throw new ConflictError(
          `timeline ${toAddress(t.ref.owner)} in ${t.ref.bucket} has moved on; re-link after the current head and sign again`,
          {
            details: {
              bucket: t.ref.bucket,
              owner: toAddress(t.ref.owner),
              head: head ? { seq: head.seq, cid: head.cid.toString() } : null,
            },
          },
        )
      }
      current.push(tlid)
    }
    const { ops, ids, tlids, heads, stored } = planOps(plan, current, this.#ids, this.#buckets)

    // Nothing below throws: commit the plan to the caches and the queue.
    this.#ids = ids
    plan.timelines.forEach((t, ti) => {
      const tlid = tlids[ti]!
      this.#tlids.set(refKey(t.ref), tlid)
      this.#refs.set(tlid, t.ref)
      this.#heads.set(tlid, heads[ti]!)
      this.#buckets.add(t.ref.bucket)
      if (t.events.length) this.#usage.add(t.ref.bucket, { events: t.events.length })
    })
    for (const [bucket, n] of stored) this.#usage.add(bucket, { bytesStored: n })
    for (const e of plan.erase) this.#usage.add(e.ref.bucket, { bytesStored: -e.bytes, bytesErased: e.bytes })
    ops.push(...this.#usage.takeOps())
    return this.#commit
      .add(
        ops,
        plan.timelines.reduce((n, t) => n + t.events.length, 0),
      )
      .then(() => heads)
  }

  async #tlidOf(ref: TimelineRef): Promise<number | undefined> {
    const v = await this.db.get(timelineKey(ref.bucket, ref.owner))
    return v ? v.readUInt32BE(0) : undefined
  }

  async refOf(tlid: number): Promise<TimelineRef | undefined> {
    const cached = this.#refs.get(tlid)
    if (cached) return cached
    const v = await this.db.get(timelineInfoKey(tlid))
    if (!v) return undefined
    const at = v.indexOf(0)
    return { bucket: v.subarray(0, at).toString('utf8'), owner: new Uint8Array(v.subarray(at + 1)) }
  }

  async getBlock(cid: CID): Promise<Block | undefined> {
    return (await this.getBlocks([cid]))[0]
  }

  async getBlocks(cids: readonly CID[]): Promise<(Block | undefined)[]> {
    return readBlocks(this.db, cids, (tlid) => this.refOf(tlid))
  }

  async hasBlock(cid: CID): Promise<boolean> {
    return (await this.db.get(blockKey(cid.bytes))) !== undefined
  }

  async head(ref: TimelineRef): Promise<Head | null> {
    const tlid = await this.#tlidOf(ref)
    const v = tlid === undefined ? undefined : await this.db.get(headKey(tlid))
    return v ? decodeHead(v) : null
  }

  /**
   * Turns an event record into a StoredEvent, rebuilding a batch seal's path from its chunk. `body`
   * is the event's body slot when the caller read it (undefined: not read; null: none or erased).
   */
  async storedEvent(seq: number, value: Uint8Array, body?: Uint8Array | null): Promise<StoredEvent> {
    const { cid, sealRef, env } = decodeEventRecord(value)
    const blocks = body === undefined ? { env } : { env, body }
    if ('seal' in sealRef) return { seq, cid, seal: sealRef.seal, ...blocks }
    const chunk = await this.#chunk(sealRef.chunk, cid)
    return { seq, cid, seal: sealFromChunk(chunk, sealRef.i, cid), ...blocks }
  }

  /** Opens a chunk once even when a page of its events asks for it concurrently. */
  #chunk(id: number, cid: CID): Promise<OpenChunk> {
    const cached = this.#chunks.get(id)
    if (cached) return cached
    const opening = this.db.get(chunkKey(id)).then((bytes) => {
      if (!bytes) throw new UnavailableError(`batch seal ${id} of ${cid} is missing from the store`)
      return openChunk(bytes)
    })
    this.#chunks.set(id, opening)
    opening.catch(() => this.#chunks.delete(id))
    return opening
  }

  async eventAt(ref: TimelineRef, seq: number): Promise<StoredEvent | undefined> {
    const tlid = await this.#tlidOf(ref)
    const v = tlid === undefined ? undefined : await this.db.get(seqKey(tlid, seq))
    return v ? this.storedEvent(seq, v) : undefined
  }

  async locate(cid: CID): Promise<{ ref: TimelineRef; event: StoredEvent } | undefined> {
    const v = await this.db.get(blockKey(cid.bytes))
    const p = v ? decodePointer(v) : undefined
    if (p?.kind !== 'envelope') return undefined
    const [ref, rec] = await Promise.all([this.refOf(p.tlid), this.db.get(seqKey(p.tlid, p.seq))])
    if (!ref || !rec) return undefined
    return { ref, event: await this.storedEvent(p.seq, rec) }
  }

  async query(ref: TimelineRef, q: EventQuery): Promise<EventPage> {
    const tlid = await this.#tlidOf(ref)
    if (tlid === undefined) return { events: [] }
    return queryEvents(this, tlid, q)
  }

  async timelines(bucket: string, opts: { after?: Uint8Array; limit: number }): Promise<TimelineInfo[]> {
    const prefix = timelinePrefix(bucket)
    const gt = opts.after ? Buffer.concat([prefix, opts.after]) : prefix
    const lt = Buffer.concat([prefix.subarray(0, -1), Buffer.of(1)])
    const rows = await this.db.iterator({ gt, lt, limit: opts.limit }).all()
    const heads = await this.db.getMany(rows.map(([, v]) => headKey(v.readUInt32BE(0))))
    const out: TimelineInfo[] = []
    rows.forEach(([key, _], k) => {
      const h = heads[k]
      if (!h) return // created by a plan that is not durable yet
      const head = decodeHead(h)
      out.push({ bucket, owner: new Uint8Array(key.subarray(prefix.length)), head, length: head.seq + 1 })
    })
    return out
  }

  async buckets(): Promise<string[]> {
    const keys = await this.db.keys({ gt: Buffer.of(P.bucket), lt: Buffer.of(P.bucket + 1) }).all()
    return keys.map((k) => k.subarray(1).toString('utf8'))
  }

  async capabilitySeal(cid: CID): Promise<Seal | undefined> {
    const v = await this.db.get(capSealKey(cid.bytes))
    return v ? parseSeal(decodeCanonical(v)) : undefined
  }

  flush(): Promise<void> {
    return this.#commit.idle()
  }

  recordUsage(bucket: string, delta: { bytesRead?: number; requests?: number }): void {
    this.#usage.add(bucket, delta)
  }

  async usage(bucket?: string): Promise<Usage[]> {
    return this.#usage.rows(bucket)
  }

  putRecords(write: RecordWrite): Promise<void> {
    const ops: [Buffer, Buffer | null][] = [
      // tlid 0: the block belongs to no timeline, so no bucket's access rules apply to it.
      ...(write.blocks ?? []).map((b): [Buffer, Buffer] => [blockKey(b.cid.bytes), inlinePointer(0, b.bytes)]),
      ...(write.put ?? []).map(([name, value]): [Buffer, Buffer] => [recordKey(name), Buffer.from(value)]),
      ...(write.del ?? []).map((name): [Buffer, null] => [recordKey(name), null]),
    ]
    return this.#commit.add(ops, 0)
  }

  async getRecords(names: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    if (names.length === 0) return []
    return (await this.db.getMany(names.map(recordKey))).map((v) => (v ? plain(v) : undefined))
  }

  async listRecords(q: RecordQuery): Promise<[string, Uint8Array][]> {
    // 0xff never occurs in UTF-8, so prefix ‖ 0xff is above every name under the prefix.
    const end = Buffer.concat([recordKey(q.prefix), Buffer.of(0xff)])
    const from = q.from === undefined ? undefined : recordKey(q.from)
    const range = q.reverse
      ? { gte: recordKey(q.prefix), ...(from ? { lte: from } : { lt: end }), reverse: true }
      : { gte: from ?? recordKey(q.prefix), lt: end }
    const rows = await this.db.iterator({ ...range, limit: q.limit }).all()
    return rows.map(([k, v]) => [k.subarray(RECORD_PREFIX).toString('utf8'), plain(v)])
  }

  async rewriteBlock(cid: CID, bytes: Uint8Array): Promise<boolean> {
    const v = await this.db.get(blockKey(cid.bytes))
    if (!v) return false
    const p = decodePointer(v)
    let op: [Buffer, Buffer]
    if (p.kind === 'inline') op = [blockKey(cid.bytes), inlinePointer(p.tlid, bytes)]
    else if (p.kind === 'body') op = [bodyKey(p.tlid, p.seq), Buffer.from(bytes)]
    else {
      const rec = await this.db.get(seqKey(p.tlid, p.seq))
      if (!rec) return false
      // The record is its header (CID, seal) followed by the envelope bytes: keep the header.
      const { env } = decodeEventRecord(rec)
      op = [seqKey(p.tlid, p.seq), Buffer.concat([rec.subarray(0, rec.length - env.length), bytes])]
    }
    await this.#commit.add([op], 0)
    return true
  }

  async healthy(): Promise<boolean> {
    if (this.db.status !== 'open' || this.#failed) return false
    await this.db.get(metaKey('ids'))
    return true
  }

  check(): Promise<CheckReport> {
    return checkStore(this)
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    if (this.db.status !== 'open') return
    if (this.#usage.dirty) await this.#commit.add(this.#usage.takeOps(), 0).catch(() => {})
    await this.#commit.idle()
    await this.db.close()
  }
}
