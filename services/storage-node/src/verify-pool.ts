/**
 * Decoding and signature verification run on worker threads, one per core, while the main thread
 * serves HTTP and writes (sr25519 ≈ 3,000 checks/s per core is the ingest ceiling). A request is
 * decoded by one worker (the least loaded), which also finds its distinct signature checks — one per
 * batch; those are then spread over all workers. Checks already passed are remembered here, so a
 * batch split over several requests is verified once.
 */
import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { cryptoReady, errorFromJson, SealVerifier, UnavailableError } from '@ddc/core'
import { type DecodedRequest, type DecodeOptions, decodeRequest, type SigCheck, verifyChecks } from './decode-events.js'
import { type Packed, packChecks, unpackChecks, unpackEvents } from './packing.js'
import { sibling, startTsWorker } from './ts-worker.js'

export interface VerifyPoolInit {
  /** Worker threads; 0 works on the calling thread. Default: one per core. */
  size?: number
  /** Node flags for the workers (default: the parent's). */
  execArgv?: string[]
  /** Signature checks remembered as passed. */
  cacheSize?: number
}

export interface VerifyPool {
  readonly size: number
  /** Resolves when every worker has loaded and initialised its crypto backends. */
  ready(): Promise<void>
  /** Decodes a DAG-CBOR append body and lists its signature checks (not yet run). */
  decode(raw: Uint8Array, maxEvents: number, opts?: DecodeOptions): Promise<DecodedRequest>
  /** Runs the checks not seen before; resolves to how many ran, throws BadSignatureError on failure. */
  verify(checks: readonly SigCheck[]): Promise<number>
  close(): Promise<void>
}

/** Below this many checks a verification is not worth splitting. */
const MIN_CHUNK = 16

interface Reply {
  ready?: true
  id: number
  ok: boolean
  error?: { code: string }
  events?: Packed
  checks?: Packed
  caps?: unknown
  /** The request body, transferred back after decoding. */
  raw?: Uint8Array
}

interface Slot {
  worker: Worker
  inflight: number
  ready: Promise<void>
  /** Set once the worker has loaded; only such workers are replaced when they die. */
  loaded: boolean
}

export function createVerifyPool(init: VerifyPoolInit = {}): VerifyPool {
  const size = init.size ?? availableParallelism()
  // Signatures already checked (a batch's root seen in an earlier request) are not checked again.
  const cache = new SealVerifier(init.cacheSize ?? 8192)
  const uncached = (checks: readonly SigCheck[]) => ({
    todo: checks.filter((c) => !cache.has(c.scheme, c.signer, c.message, c.sig)),
    remember: () => {
      for (const c of checks) cache.remember(c.scheme, c.signer, c.message, c.sig)
    },
  })
  if (size === 0) return inlinePool(uncached)

  const entry = sibling('verify-worker', import.meta.url)
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; slot: Slot }>()
  let nextId = 1
  let closing = false

  const spawn = (): Slot => {
    const worker = startTsWorker(entry, {
      ...(init.execArgv ? { execArgv: init.execArgv } : {}),
      // A request's decoded events live until it is done: with a small young generation every scavenge
      // copies them (measured: GC was a third of decoding at 48 MB).
      resourceLimits: { maxYoungGenerationSizeMb: 128 },
    })
    worker.unref()
    let markReady!: () => void
    let failReady!: (err: Error) => void
    const slot: Slot = {
      worker,
      inflight: 0,
      loaded: false,
      ready: new Promise<void>((res, rej) => {
        markReady = res
        failReady = rej
      }),
    }
    slot.ready.catch(() => {})
    worker.on('message', (msg: Reply) => {
      if (msg.ready) {
        slot.loaded = true
        return markReady()
      }
      const p = pending.get(msg.id)
      if (!p) return
      pending.delete(msg.id)
      if (--slot.inflight === 0) worker.unref()
      if (msg.ok) p.resolve(msg)
      else p.reject(errorFromJson(msg.error ?? {}))
    })
    const fail = (err: Error) => {
      failReady(err)
      for (const [id, p] of pending) {
        if (p.slot !== slot) continue
        pending.delete(id)
        p.reject(new UnavailableError(`verify worker failed: ${err.message}`, { cause: err }))
      }
      const at = slots.indexOf(slot)
      if (!closing && at >= 0 && slot.loaded) slots[at] = spawn()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`verify worker exited with code ${code}`))
    })
    return slot
  }
  const slots: Slot[] = Array.from({ length: size }, spawn)

  const leastLoaded = () => slots.reduce((a, b) => (b.inflight < a.inflight ? b : a))
  const run = (slot: Slot, task: Record<string, unknown>, transfer: ArrayBuffer[] = []) =>
    new Promise<Reply>((resolve, reject) => {
      if (closing) return reject(new UnavailableError('the verify pool is closed'))
      const id = nextId++
      pending.set(id, { resolve, reject, slot })
      if (slot.inflight++ === 0) slot.worker.ref()
      slot.worker.postMessage({ ...task, id }, transfer)
    })

  return {
    size,
    async ready() {
      await Promise.all(slots.map((s) => s.ready))
    },
    async decode(raw, maxEvents, opts = {}) {
      // A copy of the body travels to the worker and back by transfer: structured-cloning a 1.5 MB
      // body cost several times more (main-thread CPU, measured). The caller's buffer is untouched.
      const own = new Uint8Array(raw)
      const r = await run(leastLoaded(), { kind: 'decode', raw: own, maxEvents, opts }, [own.buffer])
      const back = r.raw!
      return {
        events: unpackEvents(r.events!, back),
        checks: unpackChecks(r.checks!),
        ...(r.caps !== undefined ? { caps: r.caps } : {}),
      }
    },
    async verify(checks) {
      const { todo, remember } = uncached(checks)
      if (todo.length === 0) return 0
      const parts = Math.max(1, Math.min(slots.length, Math.floor(todo.length / MIN_CHUNK)))
      const per = Math.ceil(todo.length / parts)
      const jobs: Promise<Reply>[] = []
      for (let start = 0; start < todo.length; start += per) {
        const packed = packChecks(todo.slice(start, start + per))
        jobs.push(run(leastLoaded(), { kind: 'verify', checks: packed }, [packed.bytes.buffer as ArrayBuffer]))
      }
      const settled = await Promise.allSettled(jobs)
      const failed = settled.find((s) => s.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      remember()
      return todo.length
    },
    async close() {
      closing = true
      for (const p of pending.values()) p.reject(new UnavailableError('the verify pool is closed'))
      pending.clear()
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}

/** Work on the calling thread: for tools and tests that do not want threads. */
function inlinePool(uncached: (checks: readonly SigCheck[]) => { todo: SigCheck[]; remember: () => void }): VerifyPool {
  return {
    size: 0,
    ready: () => cryptoReady(),
    async decode(raw, maxEvents, opts) {
      await cryptoReady()
      return decodeRequest(raw, maxEvents, opts)
    },
    async verify(checks) {
      const { todo, remember } = uncached(checks)
      verifyChecks(todo)
      remember()
      return todo.length
    },
    async close() {},
  }
}
