/**
 * Ingest benchmark (npm run bench). The node runs as its own process with full durability (fsync
 * per group commit); this process pre-builds signed requests on worker threads, then drives the node
 * over HTTP with several concurrent streams (each stream owns its timelines and sends sequentially).
 * Prints events/s per signing mode (the batch-signed figure beside the per-event sr25519 one of the
 * same run), request latency, bytes stored per event, read+verify events/s and tail-100 latency on a
 * 1k vs a 100k timeline (1M with --million). Events are 1 KB with 3 encrypted scopes (@ddc/crypto).
 *   npm run bench -w @ddc/storage-node [-- --quick] [-- --million] [-- --json figures.json]
 * `--json <file>` also writes every figure as JSON (BenchFigures below) for harnesses.
 */
import { execSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createAccount,
  cryptoReady,
  decodeEnvelope,
  type Seal,
  type SigScheme,
  sealMessage,
  toHex,
  verifyBlock,
  verifySignature,
} from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import { groupRoot } from '../src/batch-tree.js'
import { spawnStorageNode } from '../src/spawn.js'
import { openLevelStore } from '../src/store/level.js'
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
const million = args.includes('--million')
const jsonAt = args.indexOf('--json')
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined
if (jsonAt >= 0 && (!jsonFile || jsonFile.startsWith('--'))) {
  console.error('--json needs a file name')
  process.exit(2)
}

/** Issue #3 and #10 targets on a 2-core machine. */
const TARGETS = { sr25519: 4000, ed25519: 8000, batch: 25000, readVerify: 20000, bytesPerEvent: 1300, tailRatio: 2 }

interface ModeFigures extends ModeRate {
  nodeCpuUsPerEvent: number
  driverCpuUsPerEvent: number
}

/** What `--json <file>` writes. */
export interface BenchFigures {
  quick: boolean
  million: boolean
  bodies: string
  cpus: number
  loadAverage: number[]
  modes: { sr25519: ModeFigures; ed25519: ModeFigures; batch: ModeFigures }
  /** Batch-signed events/s over per-event sr25519 events/s, same run. */
  batchOverSr25519: number
  readVerify: { eventsPerSec: number; events: number; waitingShare: number }
  tail: { lengthShort: number; lengthLong: number; p50MsShort: number; p50MsLong: number; ratio: number }
  bytesPerEvent: { asLeft: number; afterCompaction: number; events: number }
  targets: typeof TARGETS
}
interface PhaseResult {
  events: number
  seconds: number
  latencies: number[]
}

async function drive(url: string, streams: Uint8Array[][], eventsPerRequest: number[]): Promise<PhaseResult> {
  const r = await postLanes(streams.map((bodies) => ({ url, bodies })))
  return { ...r, events: streams.reduce((n, s, k) => n + s.length * eventsPerRequest[k]!, 0) }
}

type Page = { events: { env: Uint8Array; seal: Seal; body?: Uint8Array }[]; next?: string }

/**
 * Reads a timeline page by page (DAG-CBOR) and verifies every event: canonical envelope and its CID,
 * body block, batch path, signature (each distinct batch root once). The next page is requested as
 * soon as a page arrives, so the node serves it while this process verifies (what a reader would do).
 */
async function readVerify(
  url: string,
  owner: string,
  max: number,
): Promise<{ events: number; seconds: number; fetching: number }> {
  const verified = new Set<string>()
  let n = 0
  let fetching = 0
  const t0 = performance.now()
  const get = async (cursor?: string): Promise<Page> => {
    const q = `order=asc&limit=1000&format=cbor${cursor ? `&cursor=${cursor}` : ''}`
    const res = await fetch(`${url}/buckets/${BUCKET}/timelines/${owner}/events?${q}`)
    if (!res.ok) throw new Error(`read failed: ${res.status}`)
    return dagCbor.decode<Page>(new Uint8Array(await res.arrayBuffer()))
  }
  let pending: Promise<Page> | undefined = get()
  while (pending && n < max) {
    const tf = performance.now()
    const page: Page = await pending
    fetching += performance.now() - tf
    pending = page.next && n + page.events.length < max ? get(page.next) : undefined
    const groups = new Map<
      string,
      { seal: Seal; signer: Uint8Array; leaves: { i: number; leaf: Uint8Array; path: Uint8Array[] }[] }
    >()
    for (const e of page.events) {
      const { envelope, cid } = decodeEnvelope(e.env)
      if (envelope.body) verifyBlock(envelope.body, e.body!)
      const key = toHex(e.seal.sig)
      const g = groups.get(key) ?? { seal: e.seal, signer: envelope.signer ?? envelope.owner, leaves: [] }
      g.leaves.push({ i: e.seal.i, leaf: cid.bytes, path: e.seal.path })
      groups.set(key, g)
    }
    for (const [key, g] of groups) {
      const message = sealMessage('event', g.seal.n, groupRoot(g.seal.n, g.leaves))
      const memo = `${key}|${toHex(message)}`
      if (verified.has(memo)) continue
      if (!verifySignature(g.seal.scheme, g.signer, message, g.seal.sig)) throw new Error('signature fails')
      verified.add(memo)
    }
    n += page.events.length
  }
  return { events: n, seconds: (performance.now() - t0) / 1000, fetching: fetching / 1000 }
}

async function tailLatency(url: string, owner: string, rounds: number): Promise<number[]> {
  const out: number[] = []
  for (let k = 0; k < rounds; k++) {
    const t = performance.now()
    const res = await fetch(`${url}/buckets/${BUCKET}/timelines/${owner}/events?order=desc&limit=100&format=cbor`)
    await res.arrayBuffer()
    out.push(performance.now() - t)
  }
  return out
}

async function main() {
  await cryptoReady()
  const scale = quick ? 0.25 : 1
  const srRequests = Math.max(1, Math.round(8 * scale))
  const edRequests = Math.max(1, Math.round(16 * scale))
  const longRequests = million ? 1000 : Math.max(10, Math.round(100 * scale))
  const shortUsers = 40
  const batchRequests = Math.max(1, Math.round(40 * scale))
  const batchSpecs: StreamSpec[] = [
    {
      mode: 'owner-batch',
      scheme: 'sr25519',
      bucket: BUCKET,
      bucketOwnerUri: OWNER,
      users: ['//Bench//long'],
      requests: longRequests,
      perUser: 1000,
    },
    ...Array.from({ length: STREAMS - 1 }, (_, s) => ({
      mode: 'delegate-batch' as const,
      scheme: 'sr25519' as SigScheme,
      bucket: BUCKET,
      bucketOwnerUri: OWNER,
      users: users(`batch-${s}`, shortUsers),
      requests: batchRequests,
      perUser: 1000 / shortUsers,
    })),
  ]
  console.log('building requests on worker threads …')
  const tb = performance.now()
  const srSpecs = perEventSpecs('sr25519', srRequests)
  const edSpecs = perEventSpecs('ed25519', edRequests)
  const { streams: built, kind: bodyKind } = await buildStreams([...srSpecs, ...edSpecs, ...batchSpecs])
  const sr = built.slice(0, srSpecs.length)
  const ed = built.slice(srSpecs.length, srSpecs.length + edSpecs.length)
  const batch = built.slice(srSpecs.length + edSpecs.length)
  console.log(`built in ${((performance.now() - tb) / 1000).toFixed(1)} s; bodies: ${bodyKind}`)

  const dir = mkdtempSync(join(tmpdir(), 'ddc-bench-'))
  const owner = createAccount({ uri: OWNER })
  const node = await spawnStorageNode({
    dataDir: dir,
    buckets: [{ id: BUCKET, owner: owner.accountId, isPublic: true }],
    logLevel: 'warn',
    ...(process.env.BENCH_PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] } : {}),
  })
  try {
    const rows: [string, string][] = []
    const phase = async (name: string, streams: Uint8Array[][], perRequest: number[]) => {
      const cpu0 = cpuOf(node.pid)
      const own0 = process.cpuUsage()
      const r = await drive(node.url, streams, perRequest)
      const nodeCpu = ((cpuOf(node.pid) - cpu0) * 1e6) / r.events
      const own = process.cpuUsage(own0)
      const driverCpu = (own.user + own.system) / r.events
      const rate = Math.round(r.events / r.seconds)
      const figures: ModeFigures = {
        eventsPerSec: rate,
        events: r.events,
        seconds: r.seconds,
        eventsPerRequest: perRequest[0]!,
        p50Ms: pct(r.latencies, 50),
        p99Ms: pct(r.latencies, 99),
        nodeCpuUsPerEvent: nodeCpu,
        driverCpuUsPerEvent: driverCpu,
      }
      rows.push([
        `${name}`,
        `${rate} ev/s  (${r.events} events, ${r.seconds.toFixed(1)} s; p50 ${pct(r.latencies, 50).toFixed(0)} ms, p99 ${pct(r.latencies, 99).toFixed(0)} ms per request of ${perRequest[0]}; CPU µs/event: node ${nodeCpu.toFixed(0)}, driver ${driverCpu.toFixed(0)})`,
      ])
      console.log(rows[rows.length - 1]!.join(': '))
      return { ...r, figures }
    }
    const a = await phase(
      'sr25519, one signature per event',
      sr,
      sr.map(() => 500),
    )
    const b = await phase(
      'ed25519, one signature per event',
      ed,
      ed.map(() => 500),
    )
    const c = await phase(
      'batch-signed, 1,000 events per signature',
      batch,
      batch.map(() => 1000),
    )
    const total = a.events + b.events + c.events
    const batchOverSr25519 = c.figures.eventsPerSec / a.figures.eventsPerSec
    rows.push([
      'batch-signed vs per-event sr25519 (this run)',
      `${c.figures.eventsPerSec} ev/s vs ${a.figures.eventsPerSec} ev/s (${batchOverSr25519.toFixed(1)}×; targets ${TARGETS.batch} and ${TARGETS.sr25519})`,
    ])
    console.log(rows[rows.length - 1]!.join(': '))

    const long = createAccount({ uri: '//Bench//long' }).address
    const short = createAccount({ uri: '//Bench//batch-0//0' }).address
    const rv = await readVerify(node.url, long, Number.POSITIVE_INFINITY)
    rows.push([
      'read + verify (CIDs, bodies, paths, signatures)',
      `${Math.round(rv.events / rv.seconds)} ev/s (${rv.events} events; ${Math.round((100 * rv.fetching) / rv.seconds)}% of the time waiting for the next page of 1,000)`,
    ])
    console.log(rows[rows.length - 1]!.join(': '))
    await tailLatency(node.url, short, 20)
    await tailLatency(node.url, long, 20)
    const t1k = await tailLatency(node.url, short, 200)
    const tLong = await tailLatency(node.url, long, 200)
    const lenLong = longRequests * 1000
    const tail = {
      lengthShort: 1000,
      lengthLong: lenLong,
      p50MsShort: pct(t1k, 50),
      p50MsLong: pct(tLong, 50),
      ratio: pct(tLong, 50) / pct(t1k, 50),
    }
    rows.push([
      'tail 100 (DAG-CBOR)',
      `p50 ${pct(t1k, 50).toFixed(2)} ms at length 1,000 vs ${pct(tLong, 50).toFixed(2)} ms at length ${lenLong.toLocaleString('en')} (ratio ${(pct(tLong, 50) / pct(t1k, 50)).toFixed(2)})`,
    ])
    console.log(rows[rows.length - 1]!.join(': '))

    await node.stop('SIGTERM')
    const du = () => Number(execSync(`du -sb ${dir}`).toString().split('\t')[0])
    const bytes = du()
    const asLeft = Math.round(bytes / total)
    const store = await openLevelStore({ dir })
    await store.db.compactRange(Buffer.of(0), Buffer.of(0xff))
    await store.close()
    const afterCompaction = Math.round(du() / total)
    rows.push([
      'bytes stored per event',
      `${asLeft} B as the run left it, ${afterCompaction} B after a full compaction ` +
        `(du of the data dir / ${total} events; payload: envelope ≈ 260 B + body ≈ 1,140 B)`,
    ])
    console.log(rows[rows.length - 1]!.join(': '))
    if (jsonFile) {
      const figures: BenchFigures = {
        quick,
        million,
        bodies: bodyKind,
        cpus: availableParallelism(),
        loadAverage: loadavg(),
        modes: { sr25519: a.figures, ed25519: b.figures, batch: c.figures },
        batchOverSr25519,
        readVerify: { eventsPerSec: rv.events / rv.seconds, events: rv.events, waitingShare: rv.fetching / rv.seconds },
        tail,
        bytesPerEvent: { asLeft, afterCompaction, events: total },
        targets: TARGETS,
      }
      writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`)
      console.log(`figures written to ${jsonFile}`)
    }
    console.log('\n| measure | result |\n| --- | --- |')
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`)
  } finally {
    await node.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
