/**
 * Usage accounting per bucket (bytes stored, bytes read, requests, events) — what the chain payout
 * will pay node operators for. Totals live in memory and are written as whole records: stored bytes
 * and events in the same batch as the data they count, reads and requests with the next commit or
 * the periodic flush (so a crash loses at most a few seconds of read accounting, never storage).
 */
import { decodeCanonical, encodeCanonical } from '@ddc/core'
import type { Op } from './group-commit.js'
import { usageKey } from './layout.js'
import type { Usage } from './types.js'

const empty = (bucket: string): Usage => ({
  bucket,
  bytesStored: 0,
  bytesRead: 0,
  requests: 0,
  events: 0,
  bytesErased: 0,
})

export class UsageBook {
  readonly #rows = new Map<string, Usage>()
  readonly #dirty = new Set<string>()

  load(bucket: string, value: Uint8Array): void {
    this.#rows.set(bucket, { ...empty(bucket), ...decodeCanonical<Omit<Usage, 'bucket'>>(value), bucket })
  }

  add(bucket: string, delta: Partial<Omit<Usage, 'bucket'>>): void {
    const row = this.#rows.get(bucket) ?? empty(bucket)
    for (const [k, v] of Object.entries(delta)) {
      const key = k as keyof Omit<Usage, 'bucket'>
      row[key] += v ?? 0
    }
    this.#rows.set(bucket, row)
    this.#dirty.add(bucket)
  }

  get dirty(): boolean {
    return this.#dirty.size > 0
  }

  /** Records to write for every bucket changed since the last call. */
  takeOps(): Op[] {
    const ops: Op[] = []
    for (const bucket of this.#dirty) {
      const { bucket: _b, ...row } = this.#rows.get(bucket)!
      ops.push([usageKey(bucket), Buffer.from(encodeCanonical(row))])
    }
    this.#dirty.clear()
    return ops
  }

  rows(bucket?: string): Usage[] {
    if (bucket !== undefined) return [{ ...(this.#rows.get(bucket) ?? empty(bucket)) }]
    return [...this.#rows.values()].map((r) => ({ ...r })).sort((a, b) => (a.bucket < b.bucket ? -1 : 1))
  }
}
