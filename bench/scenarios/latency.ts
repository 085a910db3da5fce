/**
 * Append latency at a fixed offered load: first the peak rate of single-event, per-event-signed
 * appends (closed loop, --concurrency requests in flight), then an open loop offering 50% of that peak
 * for --duration. Latency counts from each request's scheduled time, so a stalled node is not hidden
 * by the generator waiting for it (no coordinated omission).
 */
import type { Head, LocalSigner } from '@ddc/core'
import { postEvents } from '../ddc-http.js'
import { BENCH_BUCKET, withBenchNode } from '../node.js'
import type { BenchOptions } from '../options.js'
import { measure, type Scenario } from '../results.js'
import { summarize } from '../stats.js'
import { appendBody, createWorkload, headAfter, type Workload } from '../workload.js'

interface Stream {
  user: LocalSigner
  head: Head | null
  /** Built, not yet sent: single-event append bodies, in timeline order. */
  queue: Uint8Array[]
}

async function refill(w: Workload, streams: Stream[], perStream: number): Promise<void> {
  for (const s of streams) {
    const events = await w.build(s.user, s.head, perStream, 1)
    s.head = headAfter(events, s.head)
    s.queue.push(...events.map((e) => appendBody([e])))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Closed loop: `concurrency` workers, each owning every concurrency-th stream, until time or events run out. */
async function peak(url: string, streams: Stream[], concurrency: number, ms: number): Promise<number> {
  const t0 = performance.now()
  let acked = 0
  await Promise.all(
    Array.from({ length: concurrency }, async (_, j) => {
      const mine = streams.filter((_, k) => k % concurrency === j)
      for (let k = 0; performance.now() - t0 < ms; k++) {
        const s = mine[k % mine.length]!
        const body = s.queue.shift()
        if (!body) return
        await postEvents(url, body)
        acked++
      }
    }),
  )
  return acked / ((performance.now() - t0) / 1000)
}

/** Open loop at `rate` events/s; returns latencies (ms from the scheduled send) and refusals by code. */
async function offered(url: string, streams: Stream[], rate: number, count: number) {
  const latencies: number[] = []
  const errors = new Map<string, number>()
  const chains = streams.map(() => Promise.resolve())
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    const k = i % streams.length
    const body = streams[k]!.queue.shift()
    if (!body) break
    chains[k] = chains[k]!.then(async () => {
      try {
        await postEvents(url, body)
        latencies.push(performance.now() - due)
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'ERR_NETWORK'
        errors.set(code, (errors.get(code) ?? 0) + 1)
      }
    })
  }
  await Promise.all(chains)
  return { latencies, errors, seconds: (performance.now() - t0) / 1000 }
}

export const latency: Scenario = {
  name: 'latency',
  about: 'p50/p99 of single-event appends at a fixed offered load of 50% of the measured peak',
  async run(o: BenchOptions) {
    const w = createWorkload({ eventBytes: o.eventBytes, scopes: o.scopes, scheme: o.scheme, bucket: BENCH_BUCKET })
    const tiny = o.durationMs < 1000
    const streams: Stream[] = Array.from({ length: Math.max(o.concurrency * 4, tiny ? 8 : 64) }, (_, k) => ({
      user: w.user(`latency-${k}`),
      head: null,
      queue: [],
    }))
    const budget = tiny ? 40 : o.quick ? 3000 : 8000
    await refill(w, streams, Math.ceil(budget / streams.length))
    return withBenchNode(o, async (n) => {
      const peakRate = await peak(n.url, streams, o.concurrency, o.durationMs / 2)
      const rate = Math.max(1, peakRate / 2)
      const count = Math.max(streams.length, Math.round((rate * o.durationMs) / 1000))
      const left = streams.reduce((a, s) => a + s.queue.length, 0)
      if (left < count) await refill(w, streams, Math.ceil((count - left) / streams.length))
      const r = await offered(n.url, streams, rate, count)
      const s = summarize(r.latencies)
      const errors = [...r.errors].map(([c, k]) => `${c} ×${k}`).join(', ') || 'none'
      const note = `single-event ${o.scheme} appends to ${streams.length} timelines; peak ${Math.round(peakRate)} ev/s (${o.concurrency} in flight), offered ${Math.round(rate)} ev/s open loop for ${(r.seconds).toFixed(1)} s, ${s.count} acknowledged, errors: ${errors}`
      return {
        measures: [measure('latency.p50', 'ddc', s.p50, note), measure('latency.p99', 'ddc', s.p99)],
        raw: { peakRate, rate, ...s, errors: Object.fromEntries(r.errors) },
      }
    })
  },
}
