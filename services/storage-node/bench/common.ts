/**
 * What the node benchmark (ingest.ts) and the cluster benchmark (cluster.ts) share: the pre-built
 * request streams (signed on worker threads, cached in .tmp/bench-cache), the HTTP driver, and the
 * CPU and percentile arithmetic.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request, type SigScheme } from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import { sibling, startTsWorker } from '../src/ts-worker.js'
import type { StreamSpec } from './build-worker.js'

/** What each benchmark reports for one mode (ingest.ts and cluster.ts add their CPU figure). */
export interface ModeRate {
  eventsPerSec: number
  events: number
  seconds: number
  /** Events per request as sent. */
  eventsPerRequest: number
  p50Ms: number
  p99Ms: number
}

export const BUCKET = 'bench'
export const OWNER = '//BenchOwner'
export const STREAMS = 4

export const users = (tag: string, n: number) => Array.from({ length: n }, (_, k) => `//Bench//${tag}//${k}`)

/** STREAMS streams of per-event-signed requests (10 users each, 50 events per user per request). */
export function perEventSpecs(scheme: SigScheme, requests: number): StreamSpec[] {
  return Array.from({ length: STREAMS }, (_, s) => ({
    mode: 'per-event',
    scheme,
    bucket: BUCKET,
    bucketOwnerUri: OWNER,
    users: users(`${scheme}-${s}`, 10),
    requests,
    perUser: 50,
  }))
}

const CACHE = fileURLToPath(new URL('../.tmp/bench-cache/', import.meta.url))
const cacheFile = (spec: StreamSpec) =>
  join(CACHE, `${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 24)}.cbor`)

/**
 * Builds streams on one worker thread per core (workers are reused: loading one takes seconds), or
 * reads them from the cache (signing 16k sr25519 events alone takes ~20 s).
 */
export async function buildStreams(specs: StreamSpec[]): Promise<{ streams: Uint8Array[][]; kind: string }> {
  const streams = specs.map((s) =>
    existsSync(cacheFile(s)) ? dagCbor.decode<Uint8Array[]>(readFileSync(cacheFile(s))) : [],
  )
  const todo = specs.map((_, k) => k).filter((k) => streams[k]!.length === 0)
  let kind = 'cached (.tmp/bench-cache)'
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(availableParallelism(), todo.length) }, async () => {
      const w = startTsWorker(sibling('build-worker', import.meta.url))
      try {
        while (next < todo.length) {
          const k = todo[next++]!
          const built = await new Promise<{ kind: string; bodies: Uint8Array[] }>((resolve, reject) => {
            w.once('message', resolve)
            w.once('error', reject)
            w.postMessage(specs[k])
          })
          kind = built.kind
          streams[k] = built.bodies
          mkdirSync(CACHE, { recursive: true })
          writeFileSync(cacheFile(specs[k]!), dagCbor.encode(built.bodies))
        }
      } finally {
        await w.terminate()
      }
    }),
  )
  return { streams, kind }
}

/** Sends each lane's bodies in order (lanes run concurrently); request latencies in ms. */
export async function postLanes(
  lanes: { url: string; bodies: Uint8Array[] }[],
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = []
  const t0 = performance.now()
  await Promise.all(
    lanes.map(async ({ url, bodies }) => {
      for (const body of bodies) {
        const t = performance.now()
        const res = await request(`${url}/events`, {
          method: 'POST',
          raw: body,
          contentType: 'application/vnd.ipld.dag-cbor',
          timeoutMs: 300_000,
        })
        await res.arrayBuffer()
        latencies.push(performance.now() - t)
      }
    }),
  )
  return { seconds: (performance.now() - t0) / 1000, latencies }
}

/** CPU seconds a process used so far (all threads), from /proc. */
export function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  } catch {
    return 0
  }
}

export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0
