/**
 * One node filled with batch-signed timelines of 1k, the long length and (with --full) 1M events:
 * tail-100 reads at each length, read + verify + decrypt through @ddc/sdk, bytes on disk per event
 * and the node's RSS once all of it is stored.
 */
import { type Head, toAddress } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import { postEvents, timeTail } from '../ddc-http.js'
import { BENCH_BUCKET, withBenchNode } from '../node.js'
import { type BenchOptions, tailLengths } from '../options.js'
import { dirBytes, memoryOf } from '../proc.js'
import { type Measure, measure, type Scenario } from '../results.js'
import { summarize } from '../stats.js'
import { appendBody, createWorkload, headAfter, type Workload } from '../workload.js'

/** Appends `length` events to one timeline, building the next request while the node stores this one. */
async function fill(url: string, w: Workload, name: string, length: number, batch: number) {
  const user = w.user(name)
  let head: Head | null = null
  let sending: Promise<void> = Promise.resolve()
  for (let done = 0; done < length; ) {
    const events = await w.build(user, head, Math.min(batch, length - done), batch)
    head = headAfter(events, head)
    done += events.length
    await sending
    sending = postEvents(url, appendBody(events))
  }
  await sending
  return user
}

export const state: Scenario = {
  name: 'state',
  about: 'tail-100 at 1k / long / 1M, read + verify + decrypt (SDK), bytes per event, node RSS',
  async run(o: BenchOptions) {
    const w = createWorkload({ eventBytes: o.eventBytes, scopes: o.scopes, scheme: o.scheme, bucket: BENCH_BUCKET })
    return withBenchNode(o, async (n) => {
      const lengths = tailLengths(o)
      const t0 = performance.now()
      const users = []
      for (const length of lengths) {
        users.push(await fill(n.url, w, `tail-${length}`, length, o.batch))
        process.stderr.write(`  state| ${length.toLocaleString('en')} events stored\n`)
      }
      const total = lengths.reduce((a, b) => a + b, 0)
      const fillSeconds = (performance.now() - t0) / 1000
      const mem = memoryOf(n.node.pid)
      const measures: Measure[] = []
      if (mem)
        measures.push(
          measure(
            'storage.rss',
            'ddc',
            mem.rssMB,
            `VmRSS of the node process after ${total.toLocaleString('en')} events (peak VmHWM ${mem.peakMB.toFixed(0)} MB)`,
          ),
        )
      const rounds = o.durationMs < 1000 ? 5 : o.quick ? 50 : 200
      const p50s: number[] = []
      for (const [k, user] of users.entries()) {
        for (let i = 0; i < Math.min(10, rounds); i++) await timeTail(n.url, BENCH_BUCKET, user.accountId)
        const times: number[] = []
        for (let i = 0; i < rounds; i++) times.push(await timeTail(n.url, BENCH_BUCKET, user.accountId))
        const s = summarize(times)
        p50s.push(s.p50)
        const row = ['tail.1k', 'tail.long', 'tail.1M'][k]!
        measures.push(
          measure(
            row,
            'ddc',
            s.p50,
            `GET …/events?order=desc&limit=100&format=cbor, ${rounds} rounds, p99 ${s.p99.toFixed(2)} ms`,
          ),
        )
      }
      measures.push(
        measure(
          'tail.ratio',
          'ddc',
          p50s.at(-1)! / p50s[0]!,
          `p50 at ${lengths.at(-1)!.toLocaleString('en')} ÷ p50 at 1,000`,
        ),
      )

      const readCount = Math.min(lengths[1] ?? 1000, o.durationMs < 1000 ? 1000 : o.quick ? 5000 : 20_000)
      const reader = createClient({
        signer: w.user('reader'),
        nodes: [n.url],
        encryption: { module: w.module, keys: w.keys },
      })
      const owner = toAddress(users[1]?.accountId ?? users[0]!.accountId)
      const tr = performance.now()
      let opened = 0
      for await (const e of reader.events(BENCH_BUCKET, owner, { pageSize: 1000, limit: readCount })) {
        if (e.opened.length === o.scopes) opened++
      }
      const readSeconds = (performance.now() - tr) / 1000
      if (opened !== readCount) throw new Error(`read back ${opened} of ${readCount} events with every scope opened`)
      measures.push(
        measure(
          'read.decrypt',
          'ddc',
          readCount / readSeconds,
          `@ddc/sdk events() over HTTP, pages of 1,000, ${readCount} events, all ${o.scopes} scopes opened`,
        ),
      )

      await n.stop()
      measures.push(
        measure(
          'storage.bytes',
          'ddc',
          dirBytes(n.dir) / total,
          `data folder after a clean stop / ${total.toLocaleString('en')} events (no compaction)`,
        ),
      )
      return { measures, raw: { lengths, fillSeconds, fillRate: total / fillSeconds } }
    })
  },
}
