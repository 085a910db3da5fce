/**
 * Per-application traversal: every timeline of a bucket. Through the CLS (`/v1/buckets/{b}/timelines`,
 * merged across the cluster, paginated), or with explicit nodes by asking each node's listing and
 * merging by owner (each timeline once, the longest head wins).
 */
import { type SignedCapability, signRequest, toAccountId, toHex } from '@ddc/core'
import { type Context, readCall } from './context.js'
import { isRetryable } from './errors.js'
import { call } from './transport.js'

export interface TimelineInfo {
  /** SS58 address of the timeline owner. */
  owner: string
  length: number
  head: { seq: number; cid: string } | null
  /** Nodes that reported it. */
  nodes: string[]
}

export interface TimelinesOptions {
  pageSize?: number
  /** Private buckets through the CLS: a `read` chain delegated to the CLS account (see the CLS README). */
  clsCapability?: readonly SignedCapability[]
  signal?: AbortSignal
}

interface Listing {
  timelines: { owner: string; length: number; head: { seq: number; cid: string } | null; replicas?: string[] }[]
  next?: string
}

export async function* listTimelines(
  ctx: Context,
  bucket: string,
  opts: TimelinesOptions = {},
): AsyncGenerator<TimelineInfo> {
  const limit = String(Math.min(1000, opts.pageSize ?? 100))
  const sig = opts.signal ? { signal: opts.signal } : {}
  if (ctx.locator.cls) {
    let cursor: string | undefined
    do {
      const q = new URLSearchParams({ limit, ...(cursor ? { cursor } : {}) })
      const url = `${ctx.locator.cls}/v1/buckets/${encodeURIComponent(bucket)}/timelines?${q}`
      const headers = opts.clsCapability
        ? await signRequest(ctx.reader, { method: 'GET', url, capability: opts.clsCapability })
        : undefined
      const res = await call(url, { timeoutMs: ctx.timeoutMs, ...sig, ...(headers ? { headers } : {}) }, ctx.fetch)
      const page = (await res.json()) as Listing
      for (const t of page.timelines) yield { owner: t.owner, length: t.length, head: t.head, nodes: t.replicas ?? [] }
      cursor = page.next
    } while (cursor)
    return
  }
  const merged = new Map<string, TimelineInfo>()
  for (const n of ctx.locator.nodes) {
    let after: string | undefined
    try {
      do {
        const q = new URLSearchParams({ limit, ...(after ? { after } : {}) })
        const url = `${n.url}/buckets/${encodeURIComponent(bucket)}/timelines?${q}`
        const page = (await (await readCall(ctx, bucket, url, sig)).json()) as Listing
        for (const t of page.timelines) {
          const key = toHex(toAccountId(t.owner))
          const had = merged.get(key)
          if (!had) merged.set(key, { owner: t.owner, length: t.length, head: t.head, nodes: [n.url] })
          else {
            had.nodes.push(n.url)
            if (t.length > had.length) Object.assign(had, { length: t.length, head: t.head })
          }
        }
        after = page.next
      } while (after)
    } catch (err) {
      if (!isRetryable(err)) throw err // an unreachable node: the others still answer
    }
  }
  for (const key of [...merged.keys()].sort()) yield merged.get(key)!
}
