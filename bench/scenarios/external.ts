/**
 * DDC's own node benchmarks, run as child processes with `--json <file>`: the single-node ingest
 * benchmark (services/storage-node/bench/ingest.ts, `BenchFigures`) and the 3-node one
 * (…/cluster.ts, `ClusterFigures`). Only the fields read here are declared; a figure that is missing
 * from the child's JSON is left out of the table rather than guessed.
 */
import { runJsonChild, Unavailable } from '../child.js'
import type { BenchOptions } from '../options.js'
import { type Measure, measure, type Scenario } from '../results.js'

interface ModeFigures {
  eventsPerSec: number
  events: number
  eventsPerRequest: number
  p50Ms: number
  p99Ms: number
}

export interface NodeFigures {
  modes?: Partial<Record<'sr25519' | 'ed25519' | 'batch', ModeFigures>>
  readVerify?: { eventsPerSec: number; events: number }
}

export interface ClusterFigures {
  modes?: Partial<Record<'sr25519' | 'batch', ModeFigures>>
  replicationFactor?: number
  writeQuorum?: number
}

const how = (m: ModeFigures, what: string) =>
  `${what}: ${m.events.toLocaleString('en')} events in requests of ${Math.round(m.eventsPerRequest)}, request p50 ${m.p50Ms.toFixed(0)} ms, p99 ${m.p99Ms.toFixed(0)} ms`

function rate(row: string, m: ModeFigures | undefined, what: string): Measure[] {
  return m && Number.isFinite(m.eventsPerSec) ? [measure(row, 'ddc', m.eventsPerSec, how(m, what))] : []
}

export function nodeMeasures(f: NodeFigures): Measure[] {
  const out = [
    ...rate('ingest.sr25519', f.modes?.sr25519, 'ingest.ts'),
    ...rate('ingest.ed25519', f.modes?.ed25519, 'ingest.ts'),
    ...rate('ingest.batch', f.modes?.batch, 'ingest.ts'),
  ]
  if (f.readVerify && Number.isFinite(f.readVerify.eventsPerSec))
    out.push(
      measure(
        'read.verify',
        'ddc',
        f.readVerify.eventsPerSec,
        `ingest.ts: raw HTTP pages of 1,000, ${f.readVerify.events} events, every CID, body, path and signature checked`,
      ),
    )
  if (out.length === 0)
    throw new Unavailable('ingest.ts wrote JSON without the figures expected (modes.*.eventsPerSec)')
  return out
}

export function clusterMeasures(f: ClusterFigures): Measure[] {
  const what = `cluster.ts, RF=${f.replicationFactor ?? '?'} W=${f.writeQuorum ?? '?'}`
  const out = [
    ...rate('cluster.per-event', f.modes?.sr25519, `${what}, sr25519`),
    ...rate('cluster.batch', f.modes?.batch, what),
  ]
  if (out.length === 0)
    throw new Unavailable('cluster.ts wrote JSON without the figures expected (modes.*.eventsPerSec)')
  return out
}

/** A storage-node benchmark script run as a child with `--json`, its figures turned into measures. */
function childBenchmark<T>(name: string, about: string, script: string, toMeasures: (json: T) => Measure[]): Scenario {
  return {
    name,
    about,
    async run(o: BenchOptions) {
      // Their own quick sizes keep the standard suite under 10 minutes; --full runs them in full.
      const json = await runJsonChild<T>({ script, args: o.full ? [] : ['--quick'], timeoutMs: 900_000, echo: name })
      return { measures: toMeasures(json), raw: json }
    },
  }
}

export const nodeIngest = childBenchmark(
  'node',
  'one node over HTTP, fsync-durable: per-event sr25519 / ed25519 and batch-signed (storage-node bench/ingest.ts)',
  'services/storage-node/bench/ingest.ts',
  nodeMeasures,
)

export const clusterIngest = childBenchmark(
  'cluster',
  '3-node devnet, RF=3, W=2: per-event and batch-signed (storage-node bench/cluster.ts)',
  'services/storage-node/bench/cluster.ts',
  clusterMeasures,
)
