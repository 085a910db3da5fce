/**
 * The batch tree: an RFC 9162 (Certificate Transparency v2) Merkle tree over CIDs, SHA-256, with
 * distinct prefixes for leaves (0x00) and inner nodes (0x01) so a node can never be passed off as a
 * leaf. Paths are audit paths in RFC 9162 §2.1.3 order (leaf side first); the tree size is part of
 * what is signed, which fixes the shape a path is read against.
 */
import { sha256 } from '#hash'
import { BadProofError } from './errors.js'

const LEAF = new Uint8Array([0])
const NODE = new Uint8Array([1])

function hashParts(prefix: Uint8Array, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + a.length + (b?.length ?? 0))
  buf.set(prefix, 0)
  buf.set(a, 1)
  if (b) buf.set(b, 1 + a.length)
  return sha256(buf)
}

export const leafHash = (leaf: Uint8Array): Uint8Array => hashParts(LEAF, leaf)
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => hashParts(NODE, left, right)

/** Largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

export interface MerkleTree {
  root: Uint8Array
  /** paths[i] is the audit path of leaf i. */
  paths: Uint8Array[][]
}

/** Builds the tree over raw leaves (CID bytes) and every leaf's audit path in one pass. */
export function buildTree(leaves: readonly Uint8Array[]): MerkleTree {
  if (leaves.length === 0) throw new BadProofError('a Merkle tree needs at least one leaf')
  const paths: Uint8Array[][] = leaves.map(() => [])
  const rec = (lo: number, hi: number): Uint8Array => {
    if (hi - lo === 1) return leafHash(leaves[lo]!)
    const mid = lo + split(hi - lo)
    const left = rec(lo, mid)
    const right = rec(mid, hi)
    for (let i = lo; i < mid; i++) paths[i]!.push(right)
    for (let i = mid; i < hi; i++) paths[i]!.push(left)
    return nodeHash(left, right)
  }
  return { root: rec(0, leaves.length), paths }
}

/** RFC 9162 §2.1.3.2: the root implied by a leaf, its index, the tree size and its audit path. */
export function rootFromPath(leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[]): Uint8Array {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || size < 1 || index >= size) {
    throw new BadProofError(`leaf index ${index} is outside a tree of ${size}`)
  }
  let fn = index
  let sn = size - 1
  let r = leafHash(leaf)
  for (const p of path) {
    if (p.length !== 32) throw new BadProofError('a Merkle path element must be 32 bytes')
    if (sn === 0) throw new BadProofError('Merkle path is longer than the tree allows')
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  if (sn !== 0) throw new BadProofError('Merkle path is shorter than the tree requires')
  return r
}
