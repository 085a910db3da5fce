/**
 * Group commit: every plan applied while a write is in flight joins the next LevelDB batch, which
 * is written with `sync: true` (fsync) once the previous one is done. A caller's promise resolves
 * only after the batch holding its operations is on disk, so an acknowledged append survives
 * `kill -9` and power loss, while one fsync serves every request that arrived during the last one.
 */
import type { ClassicLevel } from 'classic-level'

export type Op = [key: Buffer, value: Buffer | null]

export interface CommitStats {
  requests: number
  events: number
  ops: number
  bytes: number
  seconds: number
}

interface Group {
  ops: Op[]
  requests: number
  events: number
  bytes: number
  waiters: { resolve: () => void; reject: (err: Error) => void }[]
}

export class GroupCommit {
  readonly #db: ClassicLevel<Buffer, Buffer>
  readonly #onCommit: (s: CommitStats) => void
  readonly #onFail: (err: Error) => void
  #next: Group | null = null
  #writing = false
  #scheduled = false
  #idle: (() => void)[] = []

  constructor(db: ClassicLevel<Buffer, Buffer>, onCommit: (s: CommitStats) => void, onFail: (err: Error) => void) {
    this.#db = db
    this.#onCommit = onCommit
    this.#onFail = onFail
  }

  /** Queues one plan's operations (all or nothing) and resolves when they are durable. */
  add(ops: Op[], events: number): Promise<void> {
    if (!this.#next) this.#next = { ops: [], requests: 0, events: 0, bytes: 0, waiters: [] }
    const g = this.#next
    for (const op of ops) {
      g.ops.push(op)
      g.bytes += op[0].length + (op[1]?.length ?? 0)
    }
    g.requests++
    g.events += events
    const done = new Promise<void>((resolve, reject) => g.waiters.push({ resolve, reject }))
    this.#schedule()
    return done
  }

  /** Resolves once nothing is queued or being written. */
  idle(): Promise<void> {
    if (!this.#writing && !this.#next) return Promise.resolve()
    return new Promise((r) => this.#idle.push(r))
  }

  get busy(): boolean {
    return this.#writing || this.#next !== null
  }

  #schedule(): void {
    if (this.#writing || this.#scheduled) return
    this.#scheduled = true
    // Let plans applied in this turn of the event loop join the batch.
    setImmediate(() => {
      this.#scheduled = false
      void this.#write()
    })
  }

  async #write(): Promise<void> {
    const g = this.#next
    if (!g || this.#writing) return
    this.#next = null
    this.#writing = true
    const t0 = performance.now()
    try {
      const batch = this.#db.batch()
      for (const [k, v] of g.ops) {
        if (v === null) batch.del(k)
        else batch.put(k, v)
      }
      await batch.write({ sync: true })
    } catch (err) {
      // What was queued behind this batch may build on it (heads, ids): fail it too.
      const queued = this.#next as Group | null
      this.#next = null
      this.#writing = false
      const e = err instanceof Error ? err : new Error(String(err))
      this.#onFail(e)
      for (const w of [...g.waiters, ...(queued?.waiters ?? [])]) w.reject(e)
      this.#drained()
      return
    }
    this.#writing = false
    this.#onCommit({
      requests: g.requests,
      events: g.events,
      ops: g.ops.length,
      bytes: g.bytes,
      seconds: (performance.now() - t0) / 1000,
    })
    for (const w of g.waiters) w.resolve()
    if (this.#next) void this.#write()
    else this.#drained()
  }

  #drained(): void {
    if (this.#writing || this.#next) return
    for (const r of this.#idle.splice(0)) r()
  }
}
