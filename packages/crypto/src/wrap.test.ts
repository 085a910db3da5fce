import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { createAccount, cryptoReady, DecryptionError, frame, InvalidInputError, utf8 } from '@ddc/core'
import { blake2b } from '@noble/hashes/blake2.js'
import sodium from 'libsodium-wrappers-sumo'
import { encryptionKeyPair, unwrapKey, wrapKey } from './wrap.js'

describe('account keys and wrapping', () => {
  before(cryptoReady)

  it("derives the account's X25519 key pair from its encryption seed through a keyed BLAKE2b step", () => {
    const alice = createAccount({ uri: '//Alice', scheme: 'ed25519' })
    const pair = encryptionKeyPair(alice.encryptionSeed)
    const seed = blake2b(frame(utf8('ddc:v1:x25519')), { key: alice.encryptionSeed, dkLen: 32 })
    const expected = sodium.crypto_box_seed_keypair(seed)
    assert.deepEqual(pair, { publicKey: expected.publicKey, secretKey: expected.privateKey })
    assert.deepEqual(sodium.crypto_scalarmult_base(pair.secretKey), pair.publicKey)
    assert.deepEqual(encryptionKeyPair(alice.encryptionSeed), pair, 'deterministic')
    const bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
    assert.notDeepEqual(encryptionKeyPair(bob.encryptionSeed).publicKey, pair.publicKey)
  })

  it('unwraps a key only with the recipient key pair', () => {
    const recipient = encryptionKeyPair(new Uint8Array(32).fill(1))
    const other = encryptionKeyPair(new Uint8Array(32).fill(2))
    const key = new Uint8Array(32).fill(7)
    const wrapped = wrapKey(key, recipient.publicKey)
    assert.equal(wrapped.length, 80)
    assert.deepEqual(unwrapKey(wrapped, recipient), key)
    assert.notDeepEqual(wrapKey(key, recipient.publicKey), wrapped, 'a fresh ephemeral key each time')
    assert.throws(() => unwrapKey(wrapped, other), DecryptionError)
    const altered = wrapped.slice()
    altered[40]! ^= 1
    assert.throws(() => unwrapKey(altered, recipient), DecryptionError)
  })

  it('refuses keys and wrapped blobs of the wrong size', () => {
    const recipient = encryptionKeyPair(new Uint8Array(32).fill(1))
    assert.throws(() => wrapKey(new Uint8Array(16), recipient.publicKey), InvalidInputError)
    assert.throws(() => wrapKey(new Uint8Array(32), new Uint8Array(31)), InvalidInputError)
    assert.throws(() => unwrapKey(new Uint8Array(79), recipient), InvalidInputError)
    assert.throws(() => encryptionKeyPair(new Uint8Array(31)), InvalidInputError)
  })
})
