import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { buildTree, rootFromPath } from '@ddc/core'
import { compactPaths, groupRoot, rebuildPaths, siblingRanges } from './batch-tree.js'

function tree(n: number) {
  const leaves = Array.from({ length: n }, () => new Uint8Array(randomBytes(36)))
  return { leaves, ...buildTree(leaves) }
}

function pick(n: number, k: number): number[] {
  const s = new Set<number>()
  while (s.size < Math.min(k, n)) s.add(Math.floor(Math.random() * n))
  return [...s]
}

describe('batch trees seen from many leaves', () => {
  it('finds the same root as checking each audit path alone, for any subset of leaves', () => {
    for (const n of [1, 2, 3, 5, 8, 13, 100, 1000]) {
      const t = tree(n)
      for (const k of [1, 2, Math.ceil(n / 3), n]) {
        const idx = pick(n, k)
        const leaves = idx.map((i) => ({ i, leaf: t.leaves[i]!, path: t.paths[i]! }))
        assert.deepEqual(groupRoot(n, leaves), t.root)
        for (const i of idx) assert.deepEqual(rootFromPath(t.leaves[i]!, i, n, t.paths[i]!), t.root)
      }
    }
  })

  it('keeps only the inner hashes the held leaves cannot recompute and rebuilds every path', () => {
    for (const n of [1, 7, 64, 1000]) {
      const t = tree(n)
      const all = t.leaves.map((leaf, i) => ({ i, leaf, path: t.paths[i]! }))
      assert.equal(compactPaths(n, all).length, 0)
      const idx = pick(n, Math.ceil(n / 4))
      const some = idx.map((i) => all[i]!)
      const extra = compactPaths(n, some)
      const rebuilt = rebuildPaths(
        n,
        some.map(({ i, leaf }) => ({ i, leaf })),
        extra,
      )
      for (const i of idx) assert.deepEqual(rebuilt.get(i), t.paths[i])
    }
  })

  it('refuses a flipped hash, a truncated path, a path from another batch and a reused index', () => {
    const t = tree(50)
    const other = tree(50)
    const leaves = [3, 4, 20].map((i) => ({ i, leaf: t.leaves[i]!, path: [...t.paths[i]!] }))
    const flipped = leaves.map((l) => ({ ...l, path: l.path.map((p) => new Uint8Array(p)) }))
    flipped[1]!.path[2]![0]! ^= 1
    assert.notDeepEqual(safeRoot(flipped), t.root)
    assert.throws(() => groupRoot(50, [{ ...leaves[0]!, path: leaves[0]!.path.slice(1) }]), { code: 'ERR_BAD_PROOF' })
    const mixed = [...leaves, { i: 7, leaf: other.leaves[7]!, path: other.paths[7]! }]
    assert.throws(() => groupRoot(50, mixed), { code: 'ERR_BAD_PROOF' })
    assert.throws(() => groupRoot(50, [leaves[0]!, { ...leaves[1]!, i: 3 }]), { code: 'ERR_BAD_PROOF' })
    assert.throws(() => groupRoot(50, [{ ...leaves[0]!, i: 50 }]), { code: 'ERR_BAD_PROOF' })
  })

  it('lists sibling ranges leaf side first', () => {
    assert.deepEqual(siblingRanges(0, 4), [
      [1, 2],
      [2, 4],
    ])
    assert.deepEqual(siblingRanges(4, 5), [[0, 4]])
    assert.deepEqual(siblingRanges(0, 1), [])
  })
})

function safeRoot(leaves: { i: number; leaf: Uint8Array; path: Uint8Array[] }[]): Uint8Array | undefined {
  try {
    return groupRoot(50, leaves)
  } catch {
    return undefined
  }
}
