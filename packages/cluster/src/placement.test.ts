import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { replicaSet } from './index.js'

const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `node-${i}` }))
const owner = (i: number) => {
  const o = new Uint8Array(32)
  new DataView(o.buffer).setUint32(0, i)
  return o
}

describe('placement (rendezvous hashing)', () => {
  it('is deterministic and independent of the order nodes are listed in', () => {
    const a = replicaSet('b', owner(1), nodes(6), 3).map((n) => n.id)
    const b = replicaSet('b', owner(1), nodes(6).reverse(), 3).map((n) => n.id)
    assert.deepEqual(a, b)
    assert.equal(new Set(a).size, 3)
  })

  it('spreads timelines roughly evenly over the nodes', () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 3000; i++) {
      const first = replicaSet('bucket', owner(i), nodes(5), 3)[0]!.id
      counts.set(first, (counts.get(first) ?? 0) + 1)
    }
    for (const c of counts.values()) assert.ok(c > 450 && c < 750, `primary share ${c} of 3000 over 5 nodes`)
  })

  it('moves only the timelines a removed node held', () => {
    const all = nodes(5)
    const without = all.filter((n) => n.id !== 'node-2')
    let moved = 0
    for (let i = 0; i < 1000; i++) {
      const before = replicaSet('b', owner(i), all, 3).map((n) => n.id)
      const after = replicaSet('b', owner(i), without, 3).map((n) => n.id)
      if (!before.includes('node-2')) assert.deepEqual(after, before)
      else {
        moved++
        // the surviving replicas keep their relative order
        assert.deepEqual(
          after.slice(0, 2).filter((id) => before.includes(id)),
          before.filter((id) => id !== 'node-2'),
        )
      }
    }
    assert.ok(moved > 400 && moved < 800, `${moved} of 1000 timelines had node-2 in their set`)
  })

  it('returns every node when the cluster is smaller than the replication factor, and refuses bad input', () => {
    assert.equal(replicaSet('b', owner(1), nodes(2), 3).length, 2)
    assert.throws(() => replicaSet('b', owner(1), nodes(2), 0), /replication factor/)
    assert.throws(() => replicaSet('b', owner(1), [{ id: 'x' }, { id: 'x' }], 1), /twice/)
  })
})
