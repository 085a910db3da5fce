import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { frame as coreFrame, cryptoReady, InvalidInputError, u32be, utf8 } from '@ddc/core'
import { blake2b } from '@noble/hashes/blake2.js'
import { frame } from './_bytes.js'
import { deriveBucketScopeKey, deriveUserScopeKey, keyId } from './keytree.js'

const master = new Uint8Array(32).map((_, i) => i)
const alice = new Uint8Array(32).fill(0xa1)
const bob = new Uint8Array(32).fill(0xb0)
const ref = { bucket: 'app-1', scope: 'profile', epoch: 0 }

describe('key tree', () => {
  before(cryptoReady)

  it('derives with keyed BLAKE2b-256 over the framed context, as an independent BLAKE2b computes it', () => {
    const bucketKey = deriveBucketScopeKey(master, ref)
    const expected = blake2b(coreFrame(utf8('ddc:v1:key:bucket-scope'), utf8('app-1'), utf8('profile'), u32be(0)), {
      key: master,
      dkLen: 32,
    })
    assert.deepEqual(bucketKey.key, expected)
    const userKey = deriveUserScopeKey(bucketKey, alice)
    const expectedUser = blake2b(
      coreFrame(utf8('ddc:v1:key:user-scope'), utf8('app-1'), utf8('profile'), u32be(0), alice),
      { key: expected, dkLen: 32 },
    )
    assert.deepEqual(userKey.key, expectedUser)
    assert.deepEqual({ ...userKey, key: undefined }, { level: 'user', ...ref, owner: alice, key: undefined })
  })

  it('gives a different key for every bucket, scope, epoch and owner', () => {
    const keys = [
      deriveBucketScopeKey(master, ref),
      deriveBucketScopeKey(master, { ...ref, bucket: 'app-2' }),
      deriveBucketScopeKey(master, { ...ref, scope: 'activity' }),
      deriveBucketScopeKey(master, { ...ref, epoch: 1 }),
    ]
    const users = keys.flatMap((k) => [deriveUserScopeKey(k, alice), deriveUserScopeKey(k, bob)])
    const hexes = new Set([...keys, ...users].map((k) => Buffer.from(k.key).toString('hex')))
    assert.equal(hexes.size, keys.length + users.length)
  })

  it('names a key by level and commitment without revealing it', () => {
    const bucketKey = deriveBucketScopeKey(master, ref)
    const kid = keyId(bucketKey)
    assert.match(kid, /^bucket:[0-9a-f]{32}$/)
    assert.ok(!kid.includes(Buffer.from(bucketKey.key).toString('hex').slice(0, 8)))
    assert.equal(keyId(bucketKey), kid, 'stable')
    const sameBytesOtherLevel = keyId({ level: 'user', ...ref, owner: alice, key: bucketKey.key })
    assert.notEqual(sameBytesOtherLevel.slice(5), kid.slice(7), 'the level is part of the commitment')
    assert.match(keyId({ level: 'master', key: master }), /^master:[0-9a-f]{32}$/)
  })

  it('refuses keys and coordinates outside the format', () => {
    assert.throws(() => deriveBucketScopeKey(master.subarray(1), ref), InvalidInputError)
    assert.throws(() => deriveBucketScopeKey(master, { ...ref, epoch: 2 ** 32 }), InvalidInputError)
    assert.throws(() => deriveBucketScopeKey(master, { ...ref, epoch: -1 }), InvalidInputError)
    assert.throws(() => deriveBucketScopeKey(master, { ...ref, bucket: 'no spaces' }), InvalidInputError)
    assert.throws(() => deriveBucketScopeKey(master, { ...ref, scope: '' }), InvalidInputError)
    assert.throws(() => deriveUserScopeKey(deriveBucketScopeKey(master, ref), alice.subarray(2)), InvalidInputError)
  })

  it("frames exactly as core's frame does", () => {
    const parts = [new Uint8Array(0), utf8('ddc'), new Uint8Array(300).fill(7), alice]
    assert.deepEqual(frame(...parts), coreFrame(...parts))
  })
})
