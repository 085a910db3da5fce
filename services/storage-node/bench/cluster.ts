import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PlacementNode, replicaSet } from '@ddc/cluster'
import { createAccount, cryptoReady, decodeEnvelope, type SigScheme } from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import { startCluster } from '../src/replication/cluster.js'
import type { StreamSpec } from './build-worker.js'
import {
  BUCKET,
  buildStreams,
  cpuOf,
  type ModeRate,
  OWNER,
  pct,
  perEventSpecs,
  postLanes,
  STREAMS,
  users,
} from './common.js'

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

interface ModeFigures extends ModeRate {
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

function specsFor(mode: 'per-event' | 'delegate-batch', scheme: SigScheme, requests: number): StreamSpec[] {
  return Array.from({ length: STREAMS }, (_, s) =>
    mode === 'per-event'
      ? perEventSpecs(scheme, requests)[s]!
      : { mode, scheme, bucket: BUCKET, bucketOwnerUri: OWNER, users: users(`batch-${s}`, 40), requests, perUser: 25 },
  )
}

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

async function main() {
  await cryptoReady()
  const scale = quick ? 0.25 : 1
  const sr = specsFor('per-event', 'sr25519', Math.max(1, Math.round(8 * scale)))
  const batch = specsFor('delegate-batch', 'sr25519', Math.max(1, Math.round(20 * scale)))
  console.log('building requests on worker threads …')
  const tb = performance.now()
  const { streams: built } = await buildStreams([...sr, ...batch])
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
      const r = await postLanes(lanes)
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
