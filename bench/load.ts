/**
 * Load generator for any deployed DDC cluster, through @ddc/sdk exactly as an app would use it:
 * virtual users append to their own timelines (per-event signatures, or one per batch) and read their
 * newest events back verified and decrypted. Bounded in time and in operations; a live progress line;
 * a final summary with throughput, p50/p95/p99 and errors by code.
 *   npm run bench:load -- (--cls URL | --nodes URL,URL…) [--bucket 1] [--duration 30] [--rate OPS | --concurrency N]
 *     [--writes 0.9] [--mode per-event|batch] [--batch 100] [--users 16] [--max-ops N] [--event-size 1024]
 *     [--scopes 3] [--scheme sr25519|ed25519] [--json file]
 */
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { cryptoReady, type SigScheme } from '@ddc/core'
import { createClient, type DdcClient } from '@ddc/sdk'
import { type Summary, summarize } from './stats.js'
import { createWorkload } from './workload.js'

export interface LoadInit {
  cls?: string
  nodes?: string[]
  bucket: string
  durationMs: number
  /** Open loop: operations started per second (latency counts from the scheduled start). */
  rate?: number
  /** Closed loop: operations in flight (default when no rate is given). */
  concurrency: number
  /** Share of operations that are writes (the rest are tail reads of 10 events). */
  writes: number
  mode: 'per-event' | 'batch'
  batch: number
  users: number
  maxOps: number
  eventBytes: number
  scopes: number
  scheme: SigScheme
  /** Called about once a second with a one-line status. */
  progress?: (line: string) => void
  signal?: AbortSignal
}

export interface LoadSummary {
  seconds: number
  ops: number
  /** Scheduled at the fixed rate but not sent before the deadline (its timeline was still busy). */
  dropped: number
  events: number
  reads: number
  eventsPerSecond: number
  readsPerSecond: number
  write: Summary
  read: Summary
  errors: Record<string, number>
}

const MAX_DURATION_MS = 3600_000
const GRACE_MS = 15_000
const MAX_USERS = 10_000

export async function runLoad(init: LoadInit): Promise<LoadSummary> {
  if (!init.cls && !init.nodes?.length) throw new Error('give a CLS URL (--cls) or node URLs (--nodes)')
  if (init.durationMs <= 0 || init.durationMs > MAX_DURATION_MS) throw new Error('duration is 1 s to 1 h')
  if (init.users < 1 || init.users > MAX_USERS) throw new Error(`users is 1 to ${MAX_USERS}`)
  await cryptoReady()
  const w = createWorkload({
    eventBytes: init.eventBytes,
    scopes: init.scopes,
    scheme: init.scheme,
    bucket: init.bucket,
  })
  // A fresh set of timelines per run: no head to fetch first, no conflict with an earlier run.
  const run = randomBytes(4).toString('hex')
  const users: DdcClient[] = Array.from({ length: init.users }, (_, k) =>
    createClient({
      signer: w.user(`load-${run}-${k}`),
      ...(init.cls ? { cls: init.cls } : { nodes: init.nodes! }),
      encryption: { module: w.module, keys: w.keys },
    }),
  )
  const written = new Array<number>(users.length).fill(0)
  const writeMs: number[] = []
  const readMs: number[] = []
  const errors = new Map<string, number>()
  let ops = 0
  let started = 0
  let events = 0
  const t0 = performance.now()
  const deadline = t0 + init.durationMs
  let reads = 0

  // In-flight operations get a grace period after the deadline, then are aborted (bounded in time).
  const stop = AbortSignal.any([AbortSignal.timeout(init.durationMs + GRACE_MS), ...(init.signal ? [init.signal] : [])])
  let dropped = 0

  async function operate(k: number, startedAt: number): Promise<void> {
    const user = users[k]!
    if (performance.now() > deadline || stop.aborted) {
      // Scheduled (open loop) but its timeline was still busy at the deadline: never sent.
      dropped++
      return
    }
    ops++
    const write = written[k] === 0 || Math.random() < init.writes
    try {
      if (write) {
        const n = init.mode === 'batch' ? init.batch : 1
        const batch = Array.from({ length: n }, () => ({ type: 'page_view', data: w.data() }))
        if (n === 1) await user.append(init.bucket, batch[0]!, { signal: stop })
        else await user.appendMany(init.bucket, batch, { signal: stop })
        written[k]! += n
        events += n
        writeMs.push(performance.now() - startedAt)
      } else {
        await user.tail(init.bucket, user.address, 10, stop)
        reads++
        readMs.push(performance.now() - startedAt)
      }
    } catch (err) {
      const code = stop.aborted
        ? 'ABORTED_AT_DEADLINE'
        : ((err as { code?: string }).code ?? (err as Error).name ?? 'Error')
      errors.set(code, (errors.get(code) ?? 0) + 1)
    }
  }

  const more = () => started < init.maxOps && performance.now() < deadline && !stop.aborted
  let lastEvents = 0
  const ticker = setInterval(() => {
    const s = (performance.now() - t0) / 1000
    const recent = writeMs.slice(-2000)
    const errs = [...errors.values()].reduce((a, b) => a + b, 0)
    init.progress?.(
      `${s.toFixed(0)} s  ops ${ops}  events ${events} (${events - lastEvents}/s)  reads ${reads}  errors ${errs}  write p99 ${summarize(recent).p99.toFixed(1)} ms`,
    )
    lastEvents = events
  }, 1000)
  try {
    if (init.rate) {
      // Open loop: one chain per user keeps each timeline's appends in order.
      const chains = users.map(() => Promise.resolve())
      for (let i = 0; more(); i++) {
        const due = t0 + (i * 1000) / init.rate
        const wait = due - performance.now()
        if (wait > 1) await new Promise((r) => setTimeout(r, wait))
        if (!more()) break
        started++
        const k = i % users.length
        chains[k] = chains[k]!.then(() => operate(k, due))
      }
      await Promise.all(chains)
    } else {
      // Closed loop: lane j owns the users k with k % lanes === j, so no timeline has two appends in flight.
      const lanes = Math.max(1, Math.min(init.concurrency, users.length))
      await Promise.all(
        Array.from({ length: lanes }, async (_, j) => {
          const mine = users.map((_, k) => k).filter((k) => k % lanes === j)
          for (let i = 0; more(); i++) {
            started++
            await operate(mine[i % mine.length]!, performance.now())
          }
        }),
      )
    }
  } finally {
    clearInterval(ticker)
  }
  const seconds = (performance.now() - t0) / 1000
  return {
    seconds,
    ops,
    dropped,
    events,
    reads,
    eventsPerSecond: events / seconds,
    readsPerSecond: reads / seconds,
    write: summarize(writeMs),
    read: summarize(readMs),
    errors: Object.fromEntries(errors),
  }
}

export function formatSummary(s: LoadSummary): string {
  const lat = (x: Summary) =>
    x.count ? `p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms (${x.count})` : 'none'
  const errs = Object.entries(s.errors)
  return [
    `${s.ops} operations in ${s.seconds.toFixed(1)} s${s.dropped ? ` (${s.dropped} scheduled but not sent by the deadline)` : ''}`,
    `writes: ${s.events} events, ${s.eventsPerSecond.toFixed(0)} events/s; latency ${lat(s.write)}`,
    `reads:  ${s.reads} tail reads, ${s.readsPerSecond.toFixed(0)} reads/s; latency ${lat(s.read)}`,
    `errors: ${errs.length ? errs.map(([c, n]) => `${c} ×${n}`).join(', ') : 'none'}`,
  ].join('\n')
}

function parseArgs(argv: readonly string[]): LoadInit & { json?: string } {
  const get = (flag: string) => {
    const k = argv.indexOf(flag)
    return k >= 0 ? argv[k + 1] : undefined
  }
  const num = (flag: string, dflt: number) => {
    const v = get(flag)
    if (v === undefined) return dflt
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number`)
    return n
  }
  const mode = get('--mode') ?? 'per-event'
  if (mode !== 'per-event' && mode !== 'batch') throw new Error('--mode is per-event or batch')
  const concurrency = num('--concurrency', 8)
  const rate = get('--rate') === undefined ? undefined : num('--rate', 0)
  const json = get('--json')
  const cls = get('--cls')
  return {
    ...(cls ? { cls } : {}),
    ...(get('--nodes') ? { nodes: get('--nodes')!.split(',') } : {}),
    bucket: get('--bucket') ?? '1',
    durationMs: num('--duration', 10) * 1000,
    ...(rate ? { rate } : {}),
    concurrency,
    writes: num('--writes', 0.9),
    mode,
    batch: num('--batch', 100),
    users: num('--users', Math.max(16, concurrency)),
    maxOps: num('--max-ops', Number.MAX_SAFE_INTEGER),
    eventBytes: num('--event-size', 1024),
    scopes: num('--scopes', 3),
    scheme: (get('--scheme') ?? 'sr25519') as SigScheme,
    ...(json ? { json } : {}),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let init: ReturnType<typeof parseArgs>
  try {
    init = parseArgs(process.argv.slice(2))
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  const summary = await runLoad({
    ...init,
    signal: stop.signal,
    progress: (line) => process.stderr.write(`\r${line.padEnd(100)}`),
  })
  process.stderr.write('\n')
  console.log(formatSummary(summary))
  if (init.json) writeFileSync(init.json, `${JSON.stringify(summary, null, 2)}\n`)
  process.exitCode = Object.keys(summary.errors).length ? 1 : 0
}
