/**
 * Batch trees seen from many leaves at once (core/merkle.ts is the one-leaf view). A request usually
 * carries many events of one signed batch; checking each audit path alone costs log n hashes per
 * event, while rebuilding the part of the tree those leaves share costs about two. The same view lets
 * the store keep a batch seal once — the signature, the leaves it holds and the few inner hashes no
 * stored leaf can recompute — instead of a path per event, and rebuild any leaf's path on read.
 */
import { BadProofError, bytesEqual, leafHash, nodeHash } from '@ddc/core'

/** Largest power of two strictly below n (n ≥ 2), as in RFC 9162. */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

export type Range = [lo: number, hi: number]

/** The subtrees whose roots make up leaf i's audit path, in path order (leaf side first). */
export function siblingRanges(i: number, n: number): Range[] {
  const out: Range[] = []
  let lo = 0
  let hi = n
  while (hi - lo > 1) {
    const mid = lo + split(hi - lo)
    if (i < mid) {
      out.push([mid, hi])
      hi = mid
    } else {
      out.push([lo, mid])
      lo = mid
    }
  }
  return out.reverse()
}

export interface Leaf {
  i: number
  /** Leaf value: the object's CID bytes. */
  leaf: Uint8Array
}

export interface LeafWithPath extends Leaf {
  path: readonly Uint8Array[]
}

/** An inner hash that none of the held leaves can recompute: [lo, hi, hash]. */
export type ExtraNode = [lo: number, hi: number, hash: Uint8Array]

class PartialTree {
  readonly #n: number
  readonly #present: number[]
  readonly #leaves = new Map<number, Uint8Array>()
  /** Hashes of subtrees claimed by paths or kept as extra nodes, by range key. */
  readonly #given = new Map<number, Uint8Array>()
  readonly #memo = new Map<number, Uint8Array>()

  constructor(n: number, leaves: readonly Leaf[]) {
    this.#n = n
    for (const l of leaves) {
      if (!Number.isSafeInteger(l.i) || l.i < 0 || l.i >= n)
        throw new BadProofError(`leaf index ${l.i} is outside a tree of ${n}`)
      if (this.#leaves.has(l.i)) throw new BadProofError(`two objects claim leaf ${l.i} of one batch`)
      this.#leaves.set(l.i, l.leaf)
    }
    this.#present = [...this.#leaves.keys()].sort((a, b) => a - b)
  }

  key(lo: number, hi: number): number {
    return lo * (this.#n + 1) + hi
  }

  /** True when some held leaf lies in [lo, hi). */
  holds(lo: number, hi: number): boolean {
    const p = this.#present
    let a = 0
    let b = p.length
    while (a < b) {
      const m = (a + b) >> 1
      if (p[m]! < lo) a = m + 1
      else b = m
    }
    return a < p.length && p[a]! < hi
  }

  give(lo: number, hi: number, hash: Uint8Array): void {
    const k = this.key(lo, hi)
    const had = this.#given.get(k)
    if (had && !bytesEqual(had, hash)) throw new BadProofError('audit paths of one batch disagree')
    this.#given.set(k, hash)
  }

  /** Hash of [lo, hi): recomputed where leaves are held, checked against any claim for it. */
  value(lo: number, hi: number): Uint8Array {
    const k = this.key(lo, hi)
    const memo = this.#memo.get(k)
    if (memo) return memo
    const given = this.#given.get(k)
    let v: Uint8Array
    if (!this.holds(lo, hi)) {
      if (!given) throw new BadProofError('audit paths do not cover the batch tree')
      v = given
    } else {
      v =
        hi - lo === 1
          ? leafHash(this.#leaves.get(lo)!)
          : nodeHash(this.value(lo, lo + split(hi - lo)), this.value(lo + split(hi - lo), hi))
      if (given && !bytesEqual(given, v)) throw new BadProofError('an audit path does not match the batch leaves')
    }
    this.#memo.set(k, v)
    return v
  }

  extras(): ExtraNode[] {
    const out: ExtraNode[] = []
    const n1 = this.#n + 1
    for (const [k, hash] of this.#given) {
      const lo = Math.floor(k / n1)
      const hi = k % n1
      if (!this.holds(lo, hi)) out.push([lo, hi, hash])
    }
    return out.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  }
}

function fromPaths(n: number, leaves: readonly LeafWithPath[]): PartialTree {
  const tree = new PartialTree(n, leaves)
  for (const l of leaves) {
    // siblingRanges(l.i, n) walked top-down without building it (this runs for every event).
    let depth = 0
    for (let lo = 0, hi = n; hi - lo > 1; depth++) {
      const mid = lo + split(hi - lo)
      if (l.i < mid) hi = mid
      else lo = mid
    }
    if (depth !== l.path.length)
      throw new BadProofError(`audit path of leaf ${l.i} has ${l.path.length} hashes; a tree of ${n} needs ${depth}`)
    let k = depth
    for (let lo = 0, hi = n; hi - lo > 1; ) {
      const mid = lo + split(hi - lo)
      const hash = l.path[--k]!
      if (l.i < mid) {
        tree.give(mid, hi, hash)
        hi = mid
      } else {
        tree.give(lo, mid, hash)
        lo = mid
      }
    }
  }
  return tree
}

/**
 * The root that every given leaf's audit path leads to. Throws BadProofError unless all paths lead
 * to one root (the same outcome as checking each path with core's rootFromPath).
 */
export function groupRoot(n: number, leaves: readonly LeafWithPath[]): Uint8Array {
  return fromPaths(n, leaves).value(0, n)
}

/** What a store keeps for leaves of one batch: the inner hashes they cannot recompute. */
export function compactPaths(n: number, leaves: readonly LeafWithPath[]): ExtraNode[] {
  return fromPaths(n, leaves).extras()
}

/** Rebuilds the audit paths of stored leaves from themselves and the kept extra nodes. */
export function rebuildPaths(
  n: number,
  leaves: readonly Leaf[],
  extra: readonly ExtraNode[],
): Map<number, Uint8Array[]> {
  const tree = new PartialTree(n, leaves)
  for (const [lo, hi, hash] of extra) tree.give(lo, hi, hash)
  const out = new Map<number, Uint8Array[]>()
  for (const l of leaves)
    out.set(
      l.i,
      siblingRanges(l.i, n).map(([lo, hi]) => tree.value(lo, hi)),
    )
  return out
}
