import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { cryptoReady, InvalidInputError } from '@ddc/core'
import { KeyRing } from './keyring.js'
import { deriveBucketScopeKey, deriveUserScopeKey } from './keytree.js'

const master = new Uint8Array(32).fill(9)
const alice = new Uint8Array(32).fill(0xa1)
const bob = new Uint8Array(32).fill(0xb0)
const ref = { bucket: 'app-1', scope: 'profile', epoch: 3 }

describe('key ring', () => {
  before(cryptoReady)

  it('derives user scope keys from a master key or a bucket scope key', () => {
    const bucketKey = deriveBucketScopeKey(master, ref)
    const expected = deriveUserScopeKey(bucketKey, alice).key
    assert.deepEqual(
      new KeyRing({ keys: [{ level: 'master', key: master }] }).userScopeKey({ ...ref, owner: alice }),
      expected,
    )
    assert.deepEqual(new KeyRing({ keys: [bucketKey] }).userScopeKey({ ...ref, owner: alice }), expected)
    assert.deepEqual(new KeyRing({ keys: [bucketKey] }).bucketScopeKey(ref), bucketKey.key)
  })

  it('holding one user key answers nothing for the bucket, other users, scopes or epochs', () => {
    const userKey = deriveUserScopeKey(deriveBucketScopeKey(master, ref), alice)
    const ring = new KeyRing({ keys: [userKey] })
    assert.deepEqual(ring.userScopeKey({ ...ref, owner: alice }), userKey.key)
    assert.equal(ring.userScopeKey({ ...ref, owner: bob }), undefined)
    assert.equal(ring.userScopeKey({ ...ref, owner: alice, scope: 'activity' }), undefined)
    assert.equal(ring.userScopeKey({ ...ref, owner: alice, epoch: 4 }), undefined)
    assert.equal(ring.bucketScopeKey(ref), undefined)
    assert.equal(ring.masterKey(ref.bucket), undefined)
  })

  it('holding a bucket scope key answers nothing above it or beside it', () => {
    const ring = new KeyRing({ keys: [deriveBucketScopeKey(master, ref)] })
    assert.equal(ring.masterKey(ref.bucket), undefined)
    assert.equal(ring.bucketScopeKey({ ...ref, epoch: 4 }), undefined)
    assert.equal(ring.bucketScopeKey({ ...ref, scope: 'activity' }), undefined)
    assert.equal(ring.userScopeKey({ ...ref, bucket: 'app-2', owner: alice }), undefined)
  })

  it('keeps a master key narrowed to its bucket', () => {
    const ring = new KeyRing({ keys: [{ level: 'master', key: master, bucket: 'app-1' }] })
    assert.ok(ring.userScopeKey({ ...ref, owner: alice }))
    assert.equal(ring.userScopeKey({ ...ref, bucket: 'app-2', owner: alice }), undefined)
  })

  it('holds keys of several epochs side by side', () => {
    const e3 = deriveBucketScopeKey(master, ref)
    const e4 = deriveBucketScopeKey(master, { ...ref, epoch: 4 })
    const ring = new KeyRing().add(e3).add(e4)
    assert.deepEqual(ring.bucketScopeKey(ref), e3.key)
    assert.deepEqual(ring.bucketScopeKey({ ...ref, epoch: 4 }), e4.key)
    assert.deepEqual(ring.bucketScopeTreeKey({ ...ref, epoch: 4 }), e4)
  })

  it('caches derived keys and forgets everything on clear', () => {
    const ring = new KeyRing({ keys: [{ level: 'master', key: master }], cacheSize: 2 })
    const first = ring.userScopeKey({ ...ref, owner: alice })
    assert.equal(ring.userScopeKey({ ...ref, owner: alice }), first, 'same array from the cache')
    for (const owner of [bob, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)])
      ring.userScopeKey({ ...ref, owner })
    assert.deepEqual(ring.userScopeKey({ ...ref, owner: alice }), first, 'evicted, re-derived to the same bytes')
    ring.clear()
    assert.equal(ring.userScopeKey({ ...ref, owner: alice }), undefined)
  })

  it('keeps its own copy of a key', () => {
    const key = deriveBucketScopeKey(master, ref)
    const copy = key.key.slice()
    const ring = new KeyRing({ keys: [key] })
    key.key.fill(0)
    assert.deepEqual(ring.bucketScopeKey(ref), copy)
  })

  it('refuses malformed keys and lookups', () => {
    const ring = new KeyRing()
    assert.throws(() => ring.add({ level: 'master', key: new Uint8Array(31) }), InvalidInputError)
    assert.throws(() => ring.add({ level: 'user', ...ref, owner: new Uint8Array(3), key: master }), InvalidInputError)
    assert.throws(() => ring.add({ level: 'root', key: master } as never), InvalidInputError)
    assert.throws(() => ring.userScopeKey({ ...ref, epoch: 1.5, owner: alice }), InvalidInputError)
  })
})
