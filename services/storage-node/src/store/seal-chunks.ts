/**
 * How seals are kept. A seal shared by several events of one plan (a batch signature) is stored once
 * as a chunk — scheme, signature, tree size, the leaves it covers and the inner hashes those leaves
 * cannot recompute — and each event keeps (chunk id, leaf index): ~40 bytes per event instead of a
 * 64-byte signature plus a 32-byte hash per tree level. A seal used by one event stays inline.
 */
import { type CID, decodeCanonical, encodeCanonical, type Seal, type SigScheme } from '@ddc/core'
import { compactPaths, type ExtraNode, rebuildPaths } from '../batch-tree.js'
import type { SealRef } from './layout.js'

export interface ChunkRecord {
  s: SigScheme
  g: Uint8Array
  n: number
  /** Leaves: [index, envelope CID bytes]. */
  l: [number, Uint8Array][]
  x: ExtraNode[]
}

export interface SealedLeaf {
  cid: CID
  seal: Seal
}

/** Groups a plan's seals; returns the chunks to store and, per event, where its seal lives. */
export function planSeals(
  events: readonly SealedLeaf[],
  allocate: () => number,
): { chunks: [number, Uint8Array][]; refs: SealRef[] } {
  const groups = new Map<string, number[]>()
  events.forEach((e, k) => {
    const sig = e.seal.sig
    const key = `${e.seal.scheme}|${e.seal.n}|${Buffer.from(sig.buffer, sig.byteOffset, sig.length).toString('hex')}`
    const g = groups.get(key)
    if (g) g.push(k)
    else groups.set(key, [k])
  })
  const refs: SealRef[] = new Array(events.length)
  const chunks: [number, Uint8Array][] = []
  for (const members of groups.values()) {
    if (members.length === 1) {
      refs[members[0]!] = { seal: events[members[0]!]!.seal }
      continue
    }
    const first = events[members[0]!]!.seal
    const leaves = members.map((k) => ({
      i: events[k]!.seal.i,
      leaf: events[k]!.cid.bytes,
      path: events[k]!.seal.path,
    }))
    const record: ChunkRecord = {
      s: first.scheme,
      g: first.sig,
      n: first.n,
      l: leaves.map((l) => [l.i, l.leaf]),
      // A whole batch recomputes every inner hash from its leaves: nothing extra to keep.
      x: members.length === first.n ? [] : compactPaths(first.n, leaves),
    }
    const id = allocate()
    chunks.push([id, encodeCanonical(record)])
    for (const k of members) refs[k] = { chunk: id, i: events[k]!.seal.i }
  }
  return { chunks, refs }
}

/** A stored chunk with every leaf's path rebuilt (cached: a range read hits one chunk many times). */
export interface OpenChunk {
  scheme: SigScheme
  sig: Uint8Array
  n: number
  paths: Map<number, Uint8Array[]>
}

export function openChunk(bytes: Uint8Array): OpenChunk {
  const r = decodeCanonical<ChunkRecord>(bytes, 16 * 1024 * 1024)
  const leaves = r.l.map(([i, leaf]) => ({ i, leaf }))
  return { scheme: r.s, sig: r.g, n: r.n, paths: rebuildPaths(r.n, leaves, r.x) }
}

export function sealFromChunk(chunk: OpenChunk, i: number, cid: CID): Seal {
  const path = chunk.paths.get(i)
  if (!path) throw new Error(`chunk holds no leaf ${i} (event ${cid})`)
  return { scheme: chunk.scheme, sig: chunk.sig, n: chunk.n, i, path }
}

/** A small LRU of opened chunks (as promises, so concurrent readers share one opening). */
export class ChunkCache {
  readonly #map = new Map<number, Promise<OpenChunk>>()
  constructor(readonly max = 128) {}
  get(id: number): Promise<OpenChunk> | undefined {
    const c = this.#map.get(id)
    if (c) {
      this.#map.delete(id)
      this.#map.set(id, c)
    }
    return c
  }
  set(id: number, c: Promise<OpenChunk>): void {
    if (this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value!)
    this.#map.set(id, c)
  }
  delete(id: number): void {
    this.#map.delete(id)
  }
  clear(): void {
    this.#map.clear()
  }
}
