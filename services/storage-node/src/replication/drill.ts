/**
 * Clients for the replication fault drills (fault.test.ts): each appends to its own timeline through
 * any node of the cluster, retrying the same signed request on the next node when one is down or
 * answers 5xx (what the SDK does), and remembers every event a node acknowledged.
 */
import { CID, type Head, type LocalSigner } from '@ddc/core'
import { buildEvents, cborAppend } from '../fixtures.js'

export interface DrillClient {
  signer: LocalSigner
  head: Head | null
  /** CID → seq of every acknowledged event. */
  acked: Map<string, number>
  /** Refusals that were not outages (4xx): must stay empty. */
  refusals: string[]
}

export interface AppendAnswer {
  status: number
  body: { code?: string; details?: Record<string, unknown>; replicas?: number }
}

export async function post(url: string, body: Uint8Array): Promise<AppendAnswer> {
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ipld.dag-cbor' },
    body: Buffer.from(body),
    signal: AbortSignal.timeout(15_000),
  })
  return { status: res.status, body: (await res.json()) as AppendAnswer['body'] }
}

/** Appends batches until `stop.now`, each to a node picked in turn, failing over until one acknowledges. */
export async function appendLoop(
  bucket: string,
  urls: () => string[],
  c: DrillClient,
  stop: { now: boolean },
): Promise<void> {
  let n = 0
  while (!stop.now) {
    const evs = await buildEvents(c.signer, { bucket, head: c.head, count: 1 + (n % 4) })
    const body = cborAppend(evs)
    for (let attempt = 0; ; attempt++) {
      const list = urls()
      const url = list[(n + attempt) % list.length]!
      let answer: AppendAnswer | undefined
      try {
        answer = await post(url, body)
      } catch {
        // node down: next one
      }
      if (answer?.status === 200) break
      if (answer && answer.status < 500) {
        c.refusals.push(`${answer.status} ${JSON.stringify(answer.body)}`)
        return
      }
      if (stop.now && attempt > 20) return
      await new Promise((r) => setTimeout(r, 50))
    }
    for (const e of evs) c.acked.set(e.cid.toString(), e.envelope.seq)
    const last = evs[evs.length - 1]!
    c.head = { seq: last.envelope.seq, cid: last.cid }
    n++
  }
}

export async function headOn(url: string, bucket: string, c: DrillClient): Promise<Head | null> {
  const res = await fetch(`${url}/buckets/${bucket}/timelines/${c.signer.address}`)
  const j = (await res.json()) as { head: { seq: number; cid: string } | null }
  return j.head ? { seq: j.head.seq, cid: CID.parse(j.head.cid) } : null
}

/** Envelope CIDs of a client's timeline on one node, by seq. */
export async function cidsOn(url: string, bucket: string, c: DrillClient): Promise<string[]> {
  const out: string[] = []
  for (let cursor = ''; ; ) {
    const q = `limit=1000&body=false${cursor && `&cursor=${cursor}`}`
    const res = await fetch(`${url}/buckets/${bucket}/timelines/${c.signer.address}/events?${q}`)
    const page = (await res.json()) as { events: { seq: number; cid: string }[]; next?: string }
    for (const e of page.events) out[e.seq] = e.cid
    if (!page.next) return out
    cursor = page.next
  }
}

/** Acknowledged events missing from `url`. */
export async function missingOn(url: string, bucket: string, clients: readonly DrillClient[]): Promise<number> {
  let missing = 0
  for (const c of clients) {
    const stored = await cidsOn(url, bucket, c)
    for (const [cid, seq] of c.acked) if (stored[seq] !== cid) missing++
  }
  return missing
}

/** Polls until every node reports the same head for every client (or `deadlineMs` passes); answers whether they did. */
export async function converged(
  urls: readonly string[],
  bucket: string,
  clients: readonly DrillClient[],
  deadlineMs: number,
): Promise<boolean> {
  const until = Date.now() + deadlineMs
  for (;;) {
    let same = true
    for (const c of clients) {
      const heads = await Promise.all(urls.map((u) => headOn(u, bucket, c)))
      const key = (h: Head | null) => (h ? `${h.seq}:${h.cid}` : 'none')
      if (new Set(heads.map(key)).size !== 1) same = false
    }
    if (same) return true
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, 200))
  }
}
