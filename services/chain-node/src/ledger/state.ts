/**
 * The dev chain's state: a key → DAG-CBOR value map in three layers.
 *
 *   committed  as of the last block written to disk (what queries and the state root describe)
 *   sealing    the block being written right now (at most one)
 *   pending    transactions accepted since, which will go into the next block
 *
 * A transaction runs inside `atomically`, against a journal on top of all three: if it throws, the
 * journal is dropped and nothing changed. Values are treated as immutable (handlers write new
 * objects), so layers can share them.
 *
 * The state root is sha2-256 over the sorted (key, sha2-256(value)) list. That is O(state) per block
 * that changed something — plenty for a dev chain; a production chain would use a trie.
 */
import { createHash } from 'node:crypto'
import { encodeCanonical, frame, utf8 } from '@ddc/core'

const DELETED: unique symbol = Symbol('deleted')
type Slot = unknown | typeof DELETED
export type View = 'committed' | 'pending'
export type StateChange = { key: string; value: unknown } | { key: string; deleted: true }

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest())

export class StateStore {
  readonly #committed = new Map<string, unknown>()
  readonly #hashes = new Map<string, Uint8Array>()
  #sealing: Map<string, Slot> | undefined
  #sealingHashes: Map<string, Uint8Array | undefined> | undefined
  #pending = new Map<string, Slot>()
  #journal: Map<string, Slot> | undefined
  #root: Uint8Array

  constructor(entries: Iterable<[string, unknown]> = []) {
    for (const [k, v] of entries) {
      this.#committed.set(k, v)
      this.#hashes.set(k, sha256(encodeCanonical(v)))
    }
    this.#root = this.#computeRoot(this.#hashes)
  }

  /** Root of the committed state. */
  get root(): Uint8Array {
    return this.#root
  }

  get<T>(key: string, view: View = 'pending'): T | undefined {
    const layers = view === 'committed' ? [] : [this.#journal, this.#pending, this.#sealing]
    for (const layer of layers) {
      if (layer?.has(key)) {
        const v = layer.get(key)
        return v === DELETED ? undefined : (v as T)
      }
    }
    return this.#committed.get(key) as T | undefined
  }

  /** Keys starting with `prefix`, sorted. */
  keys(prefix: string, view: View = 'pending'): string[] {
    const out = new Set<string>()
    for (const k of this.#committed.keys()) if (k.startsWith(prefix)) out.add(k)
    if (view === 'pending') {
      for (const layer of [this.#sealing, this.#pending, this.#journal]) {
        for (const k of layer?.keys() ?? []) if (k.startsWith(prefix)) out.add(k)
      }
    }
    return [...out].filter((k) => this.get(k, view) !== undefined).sort()
  }

  put(key: string, value: unknown): void {
    this.#writable().set(key, value)
  }

  delete(key: string): void {
    this.#writable().set(key, DELETED)
  }

  /** Runs `fn` as one all-or-nothing change to the pending state. */
  atomically<T>(fn: () => T): T {
    if (this.#journal) throw new Error('state changes do not nest')
    this.#journal = new Map()
    try {
      const out = fn()
      for (const [k, v] of this.#journal) this.#pending.set(k, v)
      return out
    } finally {
      this.#journal = undefined
    }
  }

  /** Moves the pending changes into the sealing layer and answers the state root they lead to. */
  seal(): { root: Uint8Array; changes: StateChange[] } {
    if (this.#sealing) throw new Error('a block is already being sealed')
    this.#sealing = this.#pending
    this.#pending = new Map()
    const changes: StateChange[] = []
    const next = new Map(this.#hashes)
    this.#sealingHashes = new Map()
    for (const [key, v] of [...this.#sealing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (v === DELETED) {
        changes.push({ key, deleted: true })
        next.delete(key)
        this.#sealingHashes.set(key, undefined)
      } else {
        changes.push({ key, value: v })
        const h = sha256(encodeCanonical(v))
        next.set(key, h)
        this.#sealingHashes.set(key, h)
      }
    }
    const root = changes.length === 0 ? this.#root : this.#computeRoot(next)
    return { root, changes }
  }

  /** The sealed block is on disk: its changes become the committed state. */
  commitSeal(root: Uint8Array): void {
    if (!this.#sealing || !this.#sealingHashes) throw new Error('no block is being sealed')
    for (const [k, v] of this.#sealing) {
      if (v === DELETED) {
        this.#committed.delete(k)
        this.#hashes.delete(k)
      } else {
        this.#committed.set(k, v)
        this.#hashes.set(k, this.#sealingHashes.get(k)!)
      }
    }
    this.#sealing = this.#sealingHashes = undefined
    this.#root = root
  }

  /** Root over the committed state, recomputed from the values (recovery check). */
  recomputeRoot(): Uint8Array {
    const hashes = new Map<string, Uint8Array>()
    for (const [k, v] of this.#committed) hashes.set(k, sha256(encodeCanonical(v)))
    return this.#computeRoot(hashes)
  }

  #writable(): Map<string, Slot> {
    if (!this.#journal) throw new Error('state is written only inside atomically()')
    return this.#journal
  }

  #computeRoot(hashes: Map<string, Uint8Array>): Uint8Array {
    const h = createHash('sha256')
    for (const key of [...hashes.keys()].sort()) h.update(frame(utf8(key), hashes.get(key)!))
    return new Uint8Array(h.digest())
  }
}
