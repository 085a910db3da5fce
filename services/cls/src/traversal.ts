/**
 * Per-app traversal: the timelines of a bucket across its cluster. Each timeline lives on a few of the
 * cluster's nodes, so every serving node is asked for its listing (`GET /buckets/{bucket}/timelines`,
 * ordered by owner AccountId32 bytes) and the answers are merged by owner, keeping the longest head any
 * replica reports. Pages are cut by owner: asking every node for `limit` owners after the cursor is
 * enough, because an owner among the first `limit` overall is among the first `limit` of every node that
 * holds it — so a page is complete, and has no duplicates, without any state kept between pages.
 */
import {
  DdcError,
  errorFromJson,
  fromHex,
  InvalidInputError,
  type SignedCapability,
  type Signer,
  signRequest,
  toAccountId,
  toHex,
  UnavailableError,
} from '@ddc/core'
import { request } from '@ddc/service'

export interface ListingNode {
  id: string
  /** Base URLs, tried in order while they fail to answer. */
  endpoints: readonly string[]
}

/** How the CLS reads a private bucket: as its own account, with a read capability delegated to it. */
export interface ListingAuth {
  signer: Signer
  capability: readonly SignedCapability[]
}

export interface TimelineSummary {
  owner: Uint8Array
  /** The longest length any replica reported. */
  length: number
  /** The head reported with that length. */
  head: { seq: number; cid: string } | null
  /** Every node that listed the timeline, with the length it reported. */
  replicas: { node: string; length: number }[]
}

export interface NodeFailure {
  node: string
  code: string
  message: string
}

export interface TimelinePage {
  timelines: TimelineSummary[]
  /** The owner to continue after; absent on the last page. */
  next?: Uint8Array
  /** Nodes that did not answer; the page may miss timelines only they hold. */
  failed: NodeFailure[]
}

export interface ListPageInit {
  bucket: string
  nodes: readonly ListingNode[]
  /** Owner (AccountId32) to continue after. */
  after?: Uint8Array
  /** Timelines per page, 1…1000 (default 100). */
  limit?: number
  auth?: ListingAuth
  timeoutMs?: number
  signal?: AbortSignal
}

interface NodeRow {
  owner: unknown
  length: unknown
  head: unknown
}

const CURSOR_VERSION = 1

/** Opaque page cursor: base64url of a version byte and the last owner's AccountId32. */
export function encodeCursor(owner: Uint8Array): string {
  return Buffer.from([CURSOR_VERSION, ...owner]).toString('base64url')
}

export function decodeCursor(text: string): Uint8Array {
  const bytes = Buffer.from(/^[A-Za-z0-9_-]{44}$/.test(text) ? text : '', 'base64url')
  if (bytes.length !== 33 || bytes[0] !== CURSOR_VERSION || bytes.toString('base64url') !== text)
    throw new InvalidInputError('cursor is not one this service handed out; pass the `next` of the previous page')
  return new Uint8Array(bytes.subarray(1))
}

function parseRow(row: NodeRow): Omit<TimelineSummary, 'replicas'> {
  const owner =
    typeof row.owner === 'string' && row.owner.startsWith('0x')
      ? fromHex(row.owner, 32)
      : toAccountId(row.owner as string)
  if (!Number.isSafeInteger(row.length) || (row.length as number) < 0)
    throw new InvalidInputError('listing row has no valid length')
  const h = row.head as { seq?: unknown; cid?: unknown } | null
  if (h !== null && (typeof h !== 'object' || !Number.isSafeInteger(h.seq) || typeof h.cid !== 'string'))
    throw new InvalidInputError('listing row has no valid head')
  return { owner, length: row.length as number, head: h && { seq: h.seq as number, cid: h.cid as string } }
}

async function fetchListing(node: ListingNode, init: ListPageInit, limit: number): Promise<NodeRow[]> {
  let failure: unknown = new UnavailableError(`node ${node.id} lists no endpoint`)
  for (const endpoint of node.endpoints) {
    const url = new URL(`${endpoint.replace(/\/+$/, '')}/buckets/${encodeURIComponent(init.bucket)}/timelines`)
    url.searchParams.set('limit', String(limit))
    if (init.after) url.searchParams.set('after', toHex(init.after))
    const headers = init.auth
      ? await signRequest(init.auth.signer, { method: 'GET', url: url.toString(), capability: init.auth.capability })
      : {}
    try {
      const res = await request(url.toString(), { headers, timeoutMs: init.timeoutMs ?? 10_000, signal: init.signal })
      const body = (await res.json()) as { timelines?: unknown }
      if (!Array.isArray(body.timelines)) throw new UnavailableError(`node ${node.id} answered without timelines`)
      return body.timelines as NodeRow[]
    } catch (err) {
      // Another endpoint of the same node may answer; a refusal (auth, bad input) would be the same there.
      if (!(err instanceof UnavailableError)) throw err
      failure = err
    }
  }
  throw failure
}

/** One page of a bucket's timelines, merged from every given node. */
export async function listTimelinesPage(init: ListPageInit): Promise<TimelinePage> {
  const limit = init.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidInputError('limit must be 1…1000')
  if (init.nodes.length === 0) throw new UnavailableError(`no serving node to list bucket ${init.bucket} from`)
  const answers = await Promise.allSettled(init.nodes.map((n) => fetchListing(n, init, limit)))
  const merged = new Map<string, TimelineSummary>()
  const failed: NodeFailure[] = []
  const afterHex = init.after && toHex(init.after)
  let nodeHasMore = false
  answers.forEach((a, k) => {
    const node = init.nodes[k]!.id
    try {
      if (a.status === 'rejected') throw a.reason
      if (a.value.length >= limit) nodeHasMore = true
      for (const row of a.value) {
        const t = parseRow(row)
        const key = toHex(t.owner)
        if (afterHex !== undefined && key <= afterHex) continue
        const seen = merged.get(key)
        if (!seen) merged.set(key, { ...t, replicas: [{ node, length: t.length }] })
        else {
          seen.replicas.push({ node, length: t.length })
          if (t.length > seen.length) Object.assign(seen, { length: t.length, head: t.head })
        }
      }
    } catch (err) {
      const e = err instanceof DdcError ? err : new UnavailableError((err as Error).message)
      failed.push({ node, code: e.code, message: e.message })
    }
  })
  if (failed.length === init.nodes.length) {
    const codes = new Set(failed.map((f) => f.code))
    const only = failed[0]!
    // Every node refused the same way (e.g. the capability): that refusal is the answer.
    if (codes.size === 1 && only.code !== 'ERR_UNAVAILABLE')
      throw errorFromJson({ code: only.code, message: only.message, details: { failed } })
    throw new UnavailableError(`no node of bucket ${init.bucket}'s cluster answered its timeline listing`, {
      details: { failed },
    })
  }
  // Same-length hex strings order like the bytes they encode: the nodes' own order.
  const sorted = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t)
  const timelines = sorted.slice(0, limit)
  const more = nodeHasMore || sorted.length > limit
  const last = timelines[timelines.length - 1]
  return more && last ? { timelines, next: last.owner, failed } : { timelines, failed }
}

export interface TraverseInit extends Omit<ListPageInit, 'limit'> {
  /** Timelines asked of each node per round trip (default 100). */
  pageSize?: number
}

/**
 * Every timeline of a bucket, in owner order, each once — page after page until the listing ends.
 * Nodes that fail are skipped (their failures are not reported here; use `listTimelinesPage` to see them).
 */
export async function* traverseBucket(init: TraverseInit): AsyncGenerator<TimelineSummary> {
  let after = init.after
  for (;;) {
    const page = await listTimelinesPage({ ...init, limit: init.pageSize ?? 100, ...(after ? { after } : {}) })
    yield* page.timelines
    if (!page.next) return
    after = page.next
  }
}
