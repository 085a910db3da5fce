/**
 * Capture queue: events captured in quick succession go out as one batch (one signature, one request)
 * when `maxBatch` are waiting or `maxDelayMs` after the first. Bounded: `capture` waits for room when
 * `maxQueued` events are waiting or in flight (back-pressure). Nothing is lost: each capture resolves
 * with its event's CID and seq, or rejects with the reason its batch failed; failed events stay in
 * `failed` and `retryFailed()` sends them again. Batches go out one at a time, in capture order.
 */
import { QueueClosedError } from './errors.js'
import type { AppendedEvent, EventInput } from './hooks.js'

export type SendBatch = (bucket: string, events: EventInput[]) => Promise<(AppendedEvent | null)[]>

export interface CaptureQueueInit {
  send: SendBatch
  maxBatch?: number
  maxDelayMs?: number
  maxQueued?: number
  /** Called with every batch failure (the captures reject too). */
  onError?: (err: unknown, bucket: string, events: EventInput[]) => void
}

interface Item {
  bucket: string
  event: EventInput
  resolve: (r: AppendedEvent | null) => void
  reject: (err: unknown) => void
}

export interface FailedCapture {
  bucket: string
  event: EventInput
  error: unknown
}

export class CaptureQueue {
  readonly #send: SendBatch
  readonly #maxBatch: number
  readonly #maxDelay: number
  readonly #maxQueued: number
  readonly #onError: CaptureQueueInit['onError']
  readonly #pending: Item[] = []
  #inFlight = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #running: Promise<void> = Promise.resolve()
  #waiters: (() => void)[] = []
  #closed = false
  /** Events whose batch failed, oldest first. */
  readonly failed: FailedCapture[] = []
  batches = 0

  constructor(init: CaptureQueueInit) {
    this.#send = init.send
    this.#maxBatch = init.maxBatch ?? 100
    this.#maxDelay = init.maxDelayMs ?? 50
    this.#maxQueued = init.maxQueued ?? 10_000
    this.#onError = init.onError
  }

  get size(): number {
    return this.#pending.length + this.#inFlight
  }

  /** Queues one event; resolves when it is stored (null if a hook dropped it). */
  async capture(bucket: string, event: EventInput): Promise<AppendedEvent | null> {
    while (this.size >= this.#maxQueued && !this.#closed) await new Promise<void>((r) => this.#waiters.push(r))
    if (this.#closed) throw new QueueClosedError('the capture queue is closed')
    return new Promise((resolve, reject) => {
      this.#pending.push({ bucket, event, resolve, reject })
      if (this.#pending.length >= this.#maxBatch) this.#kick()
      else this.#timer ??= setTimeout(() => this.#kick(), this.#maxDelay)
    })
  }

  /** Sends everything queued now and waits for it (failures reject their captures, not flush). */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#inFlight > 0) {
      this.#kick()
      await this.#running
    }
  }

  /** Captures the failed events again; resolves with their outcomes (settled, never throws). */
  retryFailed(): Promise<PromiseSettledResult<AppendedEvent | null>[]> {
    const again = this.failed.splice(0)
    return Promise.allSettled(again.map((f) => this.capture(f.bucket, f.event)))
  }

  /** Flushes, then refuses further captures. */
  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
    for (const w of this.#waiters.splice(0)) w()
  }

  #kick(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#pending.length === 0) return
    this.#running = this.#running.then(() => this.#drain())
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const bucket = this.#pending[0]!.bucket
      const batch: Item[] = []
      for (let k = 0; k < this.#pending.length && batch.length < this.#maxBatch; ) {
        if (this.#pending[k]!.bucket === bucket) batch.push(...this.#pending.splice(k, 1))
        else k++
      }
      this.#inFlight += batch.length
      this.batches++
      const events = batch.map((b) => b.event)
      try {
        const results = await this.#send(bucket, events)
        for (const [k, b] of batch.entries()) b.resolve(results[k] ?? null)
      } catch (err) {
        for (const b of batch) {
          this.failed.push({ bucket, event: b.event, error: err })
          b.reject(err)
        }
        this.#onError?.(err, bucket, events)
      } finally {
        this.#inFlight -= batch.length
        for (const w of this.#waiters.splice(0)) w()
      }
    }
  }
}

export const createCaptureQueue = (init: CaptureQueueInit) => new CaptureQueue(init)
