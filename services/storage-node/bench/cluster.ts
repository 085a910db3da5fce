/**
 * Cluster benchmark (npm run bench:cluster): three storage-node processes replicating with RF=3 and
 * W=2 (src/replication/cluster.ts: static peers, keys //DdcNode1..3), driven over HTTP by this process
 * with pre-built requests — per-event sr25519 signatures, then batch-signed — the same streams the
 * node benchmark builds (bench/build-worker.ts, cached in .tmp/bench-cache), each cut by first replica
 * and sent to it, as the SDK does. Every append is verified
 * by its first replica and again by each replica it is pushed to. Prints events/s and request p50/p99.
 *   npm run bench:cluster -w @ddc/storage-node [-- --quick] [-- --workers N] [-- --json figures.json]
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type PlacementNode, replicaSet } from '@ddc/cluster'
import { createAccount, cryptoReady, decodeEnvelope, type SigScheme } from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import { startCluster } from '../src/replication/cluster.js'
import { sibling, startTsWorker } from '../src/ts-worker.js'
import type { StreamSpec } from './build-worker.js'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const option = (name: string) => {
  const at = args.indexOf(name)
  if (at < 0) return undefined
  const v = args[at + 1]
  if (!v || v.startsWith('--')) {
    console.error(`${name} needs a value`)
    process.exit(2)
  }
  return v
}
const jsonFile = option('--json')
const workers = Number(option('--workers') ?? 1)

/** Issue #5 target on a 2-core machine. */
const TARGET = { sr25519: 1500 }
const BUCKET = 'bench'
const OWNER = '//BenchOwner'
const STREAMS = 4

interface ModeFigures {
  eventsPerSec: number
  events: number
  seconds: number
  /** Events per request as sent (each built request cut by first replica). */
  eventsPerRequest: number
  p50Ms: number
  p99Ms: number
  clusterCpuUsPerEvent: number
}

/** What `--json <file>` writes. */
export interface ClusterFigures {
  quick: boolean
  nodes: number
  replicationFactor: number
  writeQuorum: number
  verifyWorkersPerNode: number
  cpus: number
  loadAverage: number[]
  modes: { sr25519: ModeFigures; batch: ModeFigures }
  target: typeof TARGET
}

const CACHE = fileURLToPath(new URL('../.tmp/bench-cache/', import.meta.url))
const cacheFile = (spec: StreamSpec) =>
  join(CACHE, `${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 24)}.cbor`)

/** Builds each stream on a worker thread (bench/build-worker.ts), or reads it from the shared cache. */
async function build(specs: StreamSpec[]): Promise<Uint8Array[][]> {
  const out = specs.map((s) =>
    existsSync(cacheFile(s)) ? dagCbor.decode<Uint8Array[]>(readFileSync(cacheFile(s))) : [],
  )
  const todo = specs.map((_, k) => k).filter((k) => out[k]!.length === 0)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(availableParallelism(), todo.length) }, async () => {
      const w = startTsWorker(sibling('build-worker', import.meta.url))
      try {
        while (next < todo.length) {
          const k = todo[next++]!
          const { bodies } = await new Promise<{ bodies: Uint8Array[] }>((resolve, reject) => {
            w.once('message', resolve)
            w.once('error', reject)
            w.postMessage(specs[k])
          })
          out[k] = bodies
          mkdirSync(CACHE, { recursive: true })
          writeFileSync(cacheFile(specs[k]!), dagCbor.encode(bodies))
        }
      } finally {
        await w.terminate()
      }
    }),
  )
  return out
}

const users = (tag: string, n: number) => Array.from({ length: n }, (_, k) => `//Bench//${tag}//${k}`)

function specsFor(mode: 'per-event' | 'delegate-batch', scheme: SigScheme, requests: number): StreamSpec[] {
  return Array.from({ length: STREAMS }, (_, s) =>
    mode === 'per-event'
      ? {
          mode,
          scheme,
          bucket: BUCKET,
          bucketOwnerUri: OWNER,
          users: users(`${scheme}-${s}`, 10),
          requests,
          perUser: 50,
        }
      : { mode, scheme, bucket: BUCKET, bucketOwnerUri: OWNER, users: users(`batch-${s}`, 40), requests, perUser: 25 },
  )
}

/** CPU seconds a process used so far (all threads), from /proc. */
function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  } catch {
    return 0
  }
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0

type Body = { events: { env: Uint8Array }[]; caps?: unknown[] }

/**
 * What a placement-aware client (the SDK) does: each request is cut by its timelines' first replica
 * (`replicaSet`, as the nodes compute it) and each part goes straight to that node. Per stream and
 * node, parts keep their order (they extend the same timelines); all those lanes run concurrently.
 */
function byFirstReplica(streams: Uint8Array[][], nodes: PlacementNode[]): { node: string; bodies: Uint8Array[] }[] {
  const lanes: { node: string; bodies: Uint8Array[] }[] = []
  for (const bodies of streams) {
    const mine = new Map<string, Uint8Array[]>()
    for (const raw of bodies) {
      const value = dagCbor.decode<Body | Body['events']>(raw)
      const body: Body = Array.isArray(value) ? { events: value } : value
      const parts = new Map<string, Body['events']>()
      for (const e of body.events) {
        const { envelope } = decodeEnvelope(e.env)
        const first = replicaSet(envelope.bucket, envelope.owner, nodes, nodes.length)[0]!.id
        parts.set(first, [...(parts.get(first) ?? []), e])
      }
      for (const [node, events] of parts)
        mine.set(node, [...(mine.get(node) ?? []), dagCbor.encode(body.caps ? { events, caps: body.caps } : events)])
    }
    for (const [node, list] of mine) lanes.push({ node, bodies: list })
  }
  return lanes
}

async function drive(
  lanes: { url: string; bodies: Uint8Array[] }[],
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = []
  const t0 = performance.now()
  await Promise.all(
    lanes.map(async ({ url, bodies }) => {
      for (const body of bodies) {
        const t = performance.now()
        const res = await fetch(`${url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/vnd.ipld.dag-cbor' },
          body: body as unknown as BodyInit,
        })
        const text = await res.text()
        if (!res.ok) throw new Error(`append failed: ${res.status} ${text.slice(0, 300)}`)
        latencies.push(performance.now() - t)
      }
    }),
  )
  return { seconds: (performance.now() - t0) / 1000, latencies }
}

async function main() {
  await cryptoReady()
  const scale = quick ? 0.25 : 1
  const sr = specsFor('per-event', 'sr25519', Math.max(1, Math.round(8 * scale)))
  const batch = specsFor('delegate-batch', 'sr25519', Math.max(1, Math.round(20 * scale)))
  console.log('building requests on worker threads …')
  const tb = performance.now()
  const built = await build([...sr, ...batch])
  console.log(`built in ${((performance.now() - tb) / 1000).toFixed(1)} s`)

  const dir = mkdtempSync(join(tmpdir(), 'ddc-bench-cluster-'))
  const owner = createAccount({ uri: OWNER })
  const cluster = await startCluster({
    dir,
    buckets: [{ id: BUCKET, owner: owner.accountId, isPublic: true }],
    verifyWorkers: workers,
    // Repair has nothing to do while every node is up; keep its rounds out of the measurement.
    repairIntervalMs: 60_000,
    probeIntervalMs: 1000,
  })
  try {
    const urlOf = new Map(cluster.members.map((m) => [m.id, m.url]))
    const lanesOf = (streams: Uint8Array[][]) =>
      byFirstReplica(
        streams,
        cluster.members.map((m) => ({ id: m.id })),
      ).map((l) => ({ url: urlOf.get(l.node)!, bodies: l.bodies }))
    const pids = cluster.members.map((m) => m.proc!.pid)
    const phase = async (name: string, streams: Uint8Array[][], perRequest: number): Promise<ModeFigures> => {
      const cpu0 = pids.reduce((n, p) => n + cpuOf(p), 0)
      const lanes = lanesOf(streams)
      const r = await drive(lanes)
      const events = streams.reduce((n, s) => n + s.length * perRequest, 0)
      const f: ModeFigures = {
        eventsPerSec: Math.round(events / r.seconds),
        events,
        seconds: r.seconds,
        eventsPerRequest: events / r.latencies.length,
        p50Ms: pct(r.latencies, 50),
        p99Ms: pct(r.latencies, 99),
        clusterCpuUsPerEvent: ((pids.reduce((n, p) => n + cpuOf(p), 0) - cpu0) * 1e6) / events,
      }
      console.log(
        `${name}: ${f.eventsPerSec} ev/s (${events} events, ${f.seconds.toFixed(1)} s; p50 ${f.p50Ms.toFixed(0)} ms, ` +
          `p99 ${f.p99Ms.toFixed(0)} ms per request of ~${Math.round(events / r.latencies.length)}; ` +
          `cluster CPU µs/event ${f.clusterCpuUsPerEvent.toFixed(0)})`,
      )
      return f
    }
    const a = await phase('sr25519, one signature per event, RF=3 W=2', built.slice(0, sr.length), 500)
    const b = await phase('batch-signed (1,000 events per signature), RF=3 W=2', built.slice(sr.length), 1000)
    console.log(`target ≥ ${TARGET.sr25519} sr25519 ev/s: ${a.eventsPerSec >= TARGET.sr25519 ? 'met' : 'NOT met'}`)
    if (jsonFile) {
      const figures: ClusterFigures = {
        quick,
        nodes: 3,
        replicationFactor: 3,
        writeQuorum: 2,
        verifyWorkersPerNode: workers,
        cpus: availableParallelism(),
        loadAverage: loadavg(),
        modes: { sr25519: a, batch: b },
        target: TARGET,
      }
      writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`)
      console.log(`figures written to ${jsonFile}`)
    }
  } finally {
    await cluster.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
