/**
 * The raw-library ceiling: the per-event work of a node done in-process by @ddc/core alone (see
 * ceiling-run.ts), in one process per core at once, so DDC can be read as a fraction of the machine.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeCanonical } from '@ddc/core'
import { runJsonChild } from '../child.js'
import type { BenchOptions } from '../options.js'
import { measure, type Scenario } from '../results.js'
import { type BenchEvent, createWorkload } from '../workload.js'

async function eventsFile(o: BenchOptions, scheme: 'sr25519' | 'ed25519', count: number, batch: number, tag: string) {
  const w = createWorkload({ eventBytes: o.eventBytes, scopes: o.scopes, scheme, bucket: 'bench' })
  const events: BenchEvent[] = []
  for (let u = 0; events.length < count; u++)
    events.push(...(await w.build(w.user(`ceiling-${u}`), null, Math.min(1000, count - events.length), batch)))
  const file = join(tmpdir(), `ddc-bench-ceiling-${process.pid}-${tag}.cbor`)
  writeFileSync(
    file,
    encodeCanonical({
      scopes: o.scopes,
      eventBytes: o.eventBytes,
      bucket: 'bench',
      events: events.map((e) => ({ env: e.bytes, seal: e.seal, body: e.body })),
    }),
  )
  return file
}

/**
 * Runs one ceiling process per core, each doing every task on its own copy of the work; a task's
 * rate is all processes' events over the slowest process's time. Tasks run in the same order in
 * every process, so they overlap (within the spread of start-up times).
 */
async function onEveryCore(tasks: [file: string, mode: 'ingest' | 'read'][], group: number, minMs: number) {
  const runs = await Promise.all(
    Array.from({ length: availableParallelism() }, () =>
      runJsonChild<{ events: number; seconds: number }[]>({
        script: 'bench/ceiling-run.ts',
        args: [
          ...tasks.flatMap(([f, m]) => ['--task', `${f}:${m}`]),
          '--group',
          String(group),
          '--min-ms',
          String(minMs),
        ],
        timeoutMs: 180_000 + minMs * 8,
      }),
    ),
  )
  return tasks.map((_, k) => {
    const each = runs.map((r) => r[k]!)
    return each.reduce((n, r) => n + r.events, 0) / Math.max(...each.map((r) => r.seconds))
  })
}

export const ceiling: Scenario = {
  name: 'ceiling',
  about: 'raw libraries in-process: verify + seal check + canonical check + CID + one fsync per group, every core',
  async run(o) {
    const perEvent = o.quick ? (o.durationMs < 1000 ? 40 : 800) : 2000
    const batched = o.quick ? (o.durationMs < 1000 ? 200 : 5000) : 20_000
    const minMs = Math.min(2000, o.durationMs / 2)
    const cores = availableParallelism()
    const how = (what: string) => `${what}, ${cores} processes at once, groups of ${o.batch}, ≥ ${minMs} ms each`
    const sr = await eventsFile(o, 'sr25519', perEvent, 1, 'sr')
    const ed = await eventsFile(o, 'ed25519', perEvent, 1, 'ed')
    const batch = await eventsFile(o, o.scheme === 'ecdsa' ? 'sr25519' : o.scheme, batched, o.batch, 'batch')
    try {
      const [a, b, c, d] = await onEveryCore(
        [
          [sr, 'ingest'],
          [ed, 'ingest'],
          [batch, 'ingest'],
          [batch, 'read'],
        ],
        o.batch,
        minMs,
      )
      return {
        measures: [
          measure('ingest.sr25519', 'ceiling', a!, how('one sr25519 signature per event')),
          measure('ingest.ed25519', 'ceiling', b!, how('one ed25519 signature per event')),
          measure('ingest.batch', 'ceiling', c!, how(`one signature per ${o.batch}`)),
          measure('read.decrypt', 'ceiling', d!, how('checks + decrypt of every scope, no fsync')),
        ],
      }
    } finally {
      for (const f of [sr, ed, batch]) rmSync(f, { force: true })
    }
  },
}
