import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type BucketDirectory, type BucketInfo, cachedBuckets, staticBuckets } from './bucket.js'

const owner = new Uint8Array(32).fill(1)

describe('bucket directories', () => {
  it('a static directory answers known buckets and refuses unknown ones with ERR_NOT_FOUND', async () => {
    const dir = staticBuckets([{ id: 'b', owner, isPublic: true }])
    assert.equal((await dir.getBucket('b')).isPublic, true)
    await assert.rejects(dir.getBucket('x'), (e: { code?: string }) => e.code === 'ERR_NOT_FOUND')
  })

  it('a cached directory asks its source once per ttl and never caches a miss', async () => {
    let calls = 0
    const known = new Map<string, BucketInfo>()
    const source: BucketDirectory = {
      async getBucket(id) {
        calls++
        const b = known.get(id)
        if (!b) return staticBuckets([]).getBucket(id)
        return b
      },
    }
    const dir = cachedBuckets(source, 60_000)
    await assert.rejects(dir.getBucket('new'))
    known.set('new', { id: 'new', owner, isPublic: false })
    assert.equal((await dir.getBucket('new')).id, 'new')
    await dir.getBucket('new')
    assert.equal(calls, 2)
  })
})
