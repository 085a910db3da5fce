/**
 * Reading timelines: head, pages of events (ranges either way, type and time filters), tails and
 * single events by CID. Always the DAG-CBOR form (the append format), so every event is re-verified
 * exactly as the writer signed it; consecutive events are also checked to be hash-linked.
 */
import { type CID, decodeCanonical, type Head, InvalidInputError, parseCid, toAddress, verifyLink } from '@ddc/core'
import { type Context, onReplicas, readCall } from './context.js'
import { blame, type CheckedEvent, checkWireEvent, openEvent, type ReadEvent, type WireEvent } from './decrypt.js'
import { isRetryable } from './errors.js'
import type { Replica } from './locate.js'
import { CBOR } from './transport.js'

export interface EventsQuery {
  /** First seq (inclusive). */
  from?: number
  /** Last seq (inclusive). */
  to?: number
  /** Newest first. */
  reverse?: boolean
  type?: string
  /** Client timestamp ≥ since (ms). */
  since?: number
  /** Client timestamp < until (ms). */
  until?: number
  /** Most events in all. */
  limit?: number
  /** Events per request (1–1000, default 100). */
  pageSize?: number
  signal?: AbortSignal
}

export interface TimelineHead extends Head {
  length: number
}

const MAX_PAGE_BYTES = 64 * 1024 * 1024
const path = (bucket: string, owner: Uint8Array) =>
  `/buckets/${encodeURIComponent(bucket)}/timelines/${toAddress(owner)}`

/** Current head of a timeline, or null when it is empty. */
export async function readHead(
  ctx: Context,
  bucket: string,
  owner: Uint8Array,
  signal?: AbortSignal,
  replica?: Replica,
): Promise<TimelineHead | null> {
  const one = async (r: Replica) => {
    const res = await readCall(ctx, bucket, `${r.url}${path(bucket, owner)}`, signal ? { signal } : {})
    const view = (await res.json()) as { length: number; head: { seq: number; cid: string } | null }
    return view.head ? { seq: view.head.seq, cid: parseCid(view.head.cid), length: view.length } : null
  }
  return replica ? one(replica) : onReplicas(ctx, bucket, owner, one, signal)
}

interface Page {
  events: WireEvent[]
  next?: string
}

/** Raw, verified pages (no decryption): what `events` and `verifyTimeline` build on. */
export async function* checkedEvents(
  ctx: Context,
  bucket: string,
  owner: Uint8Array,
  q: EventsQuery = {},
): AsyncGenerator<CheckedEvent & { node: string }> {
  const pageSize = Math.min(1000, Math.max(1, q.pageSize ?? 100))
  let left = q.limit ?? Number.POSITIVE_INFINITY
  let cursor: string | undefined
  let last: CheckedEvent | null = null
  for (;;) {
    const size = Math.min(pageSize, left)
    if (size <= 0) return
    const params = new URLSearchParams({ format: 'cbor', order: q.reverse ? 'desc' : 'asc', limit: String(size) })
    if (q.from !== undefined) params.set('from', String(q.from))
    if (q.to !== undefined) params.set('to', String(q.to))
    if (q.type !== undefined) params.set('type', q.type)
    if (q.since !== undefined) params.set('since', String(q.since))
    if (q.until !== undefined) params.set('until', String(q.until))
    if (cursor !== undefined) params.set('cursor', cursor)
    const { page, node } = await onReplicas(
      ctx,
      bucket,
      owner,
      async (r) => {
        const url = `${r.url}${path(bucket, owner)}/events?${params}`
        const res = await readCall(ctx, bucket, url, { accept: CBOR, ...(q.signal ? { signal: q.signal } : {}) })
        const bytes = new Uint8Array(await res.arrayBuffer())
        try {
          return { page: decodeCanonical<Page>(bytes, MAX_PAGE_BYTES), node: r.url }
        } catch (err) {
          return blame(err, { node: r.url, url })
        }
      },
      q.signal,
    )
    if (!page || !Array.isArray(page.events)) throw new InvalidInputError(`${node} answered a malformed page`)
    for (const raw of page.events) {
      const ev = checkWireEvent(raw, node, ctx.seals, { bucket, owner })
      try {
        if (last !== null) {
          const [older, newer] = q.reverse ? [ev, last] : [last, ev]
          if (q.reverse ? ev.envelope.seq >= last.envelope.seq : ev.envelope.seq <= last.envelope.seq)
            throw new InvalidInputError(`seq ${ev.envelope.seq} is out of order after ${last.envelope.seq}`)
          if (newer.envelope.seq === older.envelope.seq + 1) verifyLink(older, newer.envelope)
        }
        if (ev.envelope.seq === 0) verifyLink(null, ev.envelope)
      } catch (err) {
        blame(err, { node, cid: ev.cid.toString(), seq: ev.envelope.seq })
      }
      last = ev
      yield { ...ev, node }
      left--
    }
    if (!page.next || page.events.length === 0 || left <= 0) return
    cursor = page.next
  }
}

/** Verified, decrypted events of a timeline (after the `afterRead` hooks). */
export async function* readEvents(
  ctx: Context,
  bucket: string,
  owner: Uint8Array,
  q: EventsQuery = {},
): AsyncGenerator<ReadEvent> {
  for await (const ev of checkedEvents(ctx, bucket, owner, q)) {
    const out = await ctx.hooks.afterRead(await openEvent(ev, ctx.modules, ctx.keys))
    if (out) yield out
  }
}

/** The last `k` events, oldest first, in O(k). */
export async function readTail(ctx: Context, bucket: string, owner: Uint8Array, k: number, signal?: AbortSignal) {
  const out: ReadEvent[] = []
  for await (const e of readEvents(ctx, bucket, owner, { reverse: true, limit: k, ...(signal ? { signal } : {}) }))
    out.push(e)
  return out.reverse()
}

export interface GetOptions {
  /** Where to look (skips asking every node). */
  bucket?: string
  owner?: Uint8Array
  signal?: AbortSignal
}

/** One event by CID, from the timeline's replicas when given, else from every known node. */
export async function readOne(ctx: Context, cid: CID | string, opts: GetOptions = {}): Promise<ReadEvent> {
  const want = parseCid(cid)
  const fetchOne = async (r: Replica) => {
    const url = `${r.url}/events/${want}?format=cbor`
    const res = await readCall(ctx, opts.bucket ?? '*', url, {
      accept: CBOR,
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    const raw = decodeCanonical<WireEvent>(new Uint8Array(await res.arrayBuffer()), MAX_PAGE_BYTES)
    const ev = checkWireEvent(
      raw,
      r.url,
      ctx.seals,
      opts.bucket && opts.owner ? { bucket: opts.bucket, owner: opts.owner } : undefined,
    )
    if (!ev.cid.equals(want)) blame(new InvalidInputError(`asked for ${want}, got ${ev.cid}`), { node: r.url })
    return ev
  }
  const ev =
    opts.bucket && opts.owner
      ? await onReplicas(ctx, opts.bucket, opts.owner, fetchOne, opts.signal)
      : await firstFound(ctx, fetchOne, opts.signal)
  const out = await ctx.hooks.afterRead(await openEvent(ev, ctx.modules, ctx.keys))
  if (!out) throw new InvalidInputError(`event ${want} was hidden by an afterRead hook`)
  return out
}

/** Asks every known node in turn; a 404 or an unreachable node moves on to the next. */
async function firstFound<T>(ctx: Context, fn: (r: Replica) => Promise<T>, signal?: AbortSignal): Promise<T> {
  let last: unknown = new InvalidInputError('no storage node is known')
  for (const n of await allNodes(ctx, signal)) {
    signal?.throwIfAborted()
    try {
      return await fn(n)
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_NOT_FOUND' && !isRetryable(err)) throw err
      last = err
    }
  }
  throw last
}

/** Every storage node: the explicit list, or every node of the CLS topology. */
export async function allNodes(ctx: Context, signal?: AbortSignal): Promise<Replica[]> {
  if (!ctx.locator.cls) return ctx.locator.nodes
  const res = await readCall(ctx, '*', `${ctx.locator.cls}/v1/topology`, signal ? { signal } : {})
  const topo = (await res.json()) as { clusters: { nodes: { id: string; endpoints: string[]; serving: boolean }[] }[] }
  return topo.clusters.flatMap((c) =>
    c.nodes
      .filter((n) => n.serving && n.endpoints[0])
      .map((n) => ({ id: n.id, url: n.endpoints[0]!.replace(/\/+$/, '') })),
  )
}
