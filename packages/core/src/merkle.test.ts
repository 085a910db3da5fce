import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildTree, leafHash, nodeHash, rootFromPath } from './index.js'

const leaves = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array([i & 0xff, i >> 8, 7]))
const bad = (err: unknown) => (err as { code?: string }).code === 'ERR_BAD_PROOF'

/** RFC 6962 §2.1 MTH, written directly from the definition. */
function referenceRoot(ls: Uint8Array[]): Uint8Array {
  if (ls.length === 1) return leafHash(ls[0]!)
  let k = 1
  while (k * 2 < ls.length) k *= 2
  return nodeHash(referenceRoot(ls.slice(0, k)), referenceRoot(ls.slice(k)))
}

describe('batch Merkle tree (RFC 9162)', () => {
  it('matches the RFC 6962 definition and every audit path leads to the root, sizes 1–33', () => {
    for (let n = 1; n <= 33; n++) {
      const ls = leaves(n)
      const { root, paths } = buildTree(ls)
      assert.deepEqual(root, referenceRoot(ls), `root of ${n}`)
      for (let i = 0; i < n; i++) assert.deepEqual(rootFromPath(ls[i]!, i, n, paths[i]!), root, `leaf ${i} of ${n}`)
    }
  })

  it('a batch of one has an empty path and its root is the leaf hash', () => {
    const { root, paths } = buildTree(leaves(1))
    assert.deepEqual(paths[0], [])
    assert.deepEqual(root, leafHash(leaves(1)[0]!))
  })

  it('gives another root for a leaf presented at another index', () => {
    const ls = leaves(8)
    const { root, paths } = buildTree(ls)
    assert.notDeepEqual(rootFromPath(ls[3]!, 2, 8, paths[3]!), root)
  })

  it('refuses truncated and extended paths and out-of-range indexes', () => {
    const ls = leaves(6)
    const { paths } = buildTree(ls)
    assert.throws(() => rootFromPath(ls[0]!, 0, 6, paths[0]!.slice(1)), bad)
    assert.throws(() => rootFromPath(ls[0]!, 0, 6, [...paths[0]!, new Uint8Array(32)]), bad)
    assert.throws(() => rootFromPath(ls[0]!, 6, 6, paths[0]!), bad)
    assert.throws(() => rootFromPath(ls[0]!, 0, 6, [new Uint8Array(31)]), bad)
  })

  it('does not let an inner node pass as a leaf (domain-separated hashing)', () => {
    const ls = leaves(4)
    const { root } = buildTree(ls)
    const left = nodeHash(leafHash(ls[0]!), leafHash(ls[1]!))
    const right = nodeHash(leafHash(ls[2]!), leafHash(ls[3]!))
    // Presenting the inner node's preimage as a 2-leaf tree's leaves does not reproduce the root.
    assert.notDeepEqual(buildTree([left, right]).root, root)
    assert.notDeepEqual(rootFromPath(left, 0, 2, [right]), root)
  })
})
