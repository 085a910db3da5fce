/** The anchor tree: every leaf's proof verifies alone; any change to leaf, index, path or root fails. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type AnchorLeaf,
  anchorProofFromJson,
  anchorProofToJson,
  buildAnchorTree,
  cidOf,
  decodeAnchorRoot,
  utf8,
  verifyAnchorProof,
} from './index.js'

const leaves: AnchorLeaf[] = Array.from({ length: 5 }, (_, k) => ({
  bucket: k < 3 ? 'b' : 'a',
  owner: new Uint8Array(32).fill(k + 1),
  head: cidOf(utf8(`head ${k}`)),
  length: k + 1,
}))

describe('anchor tree', () => {
  const tree = buildAnchorTree(leaves, { period: 42 })
  const proofOf = (i: number) => ({
    leaf: tree.leaves[i]!,
    index: i,
    path: tree.paths[i]!,
    root: tree.root,
    rootBlock: tree.rootBlock.bytes,
  })

  it('sorts leaves by bucket then owner, and every proof verifies (also through JSON)', () => {
    assert.deepEqual(
      tree.leaves.map((l) => l.bucket),
      ['a', 'a', 'b', 'b', 'b'],
    )
    const root = decodeAnchorRoot(tree.rootBlock.bytes)
    assert.equal(root.count, 5)
    assert.equal(root.period, 42)
    assert.equal(tree.blocks.length, 2) // one leaf chunk, then the root block
    for (let i = 0; i < 5; i++) {
      assert.equal(verifyAnchorProof(proofOf(i)).count, 5)
      assert.equal(verifyAnchorProof(anchorProofFromJson(anchorProofToJson(proofOf(i)))).count, 5)
    }
  })

  it('refuses a changed head, length, index, path or root block', () => {
    const p = proofOf(2)
    const other = buildAnchorTree(leaves.slice(1))
    const bad = [
      { ...p, leaf: { ...p.leaf, head: cidOf(utf8('forged')) } },
      { ...p, leaf: { ...p.leaf, length: p.leaf.length + 1 } },
      { ...p, leaf: { ...p.leaf, bucket: 'c' } },
      { ...p, index: 3 },
      { ...p, path: p.path.map((x, k) => (k === 0 ? new Uint8Array(32) : x)) },
      { ...p, path: p.path.slice(1) },
      { ...p, rootBlock: other.rootBlock.bytes },
      { ...p, root: other.root, rootBlock: other.rootBlock.bytes },
    ]
    for (const b of bad) assert.throws(() => verifyAnchorProof(b), { code: 'ERR_BAD_PROOF' })
  })

  it('refuses malformed JSON proofs with ERR_BAD_PROOF', () => {
    const j = anchorProofToJson(proofOf(0))
    assert.throws(() => anchorProofFromJson({ ...j, path: ['0x12'] }), { code: 'ERR_BAD_PROOF' })
    assert.throws(() => anchorProofFromJson({ ...j, head: { ...j.head, seq: 7 } }), { code: 'ERR_BAD_PROOF' })
    assert.throws(() => anchorProofFromJson({ ...j, root: 'nope' }), { code: 'ERR_BAD_PROOF' })
  })
})
