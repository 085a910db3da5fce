import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import {
  cryptoReady,
  decodeCanonical,
  decodeEnvelope,
  frame,
  fromHex,
  parseCid,
  toAccountId,
  u32be,
  utf8,
  verifyBlock,
  verifySeal,
} from '@ddc/core'
import { blake2b } from '@noble/hashes/blake2.js'
import sodium from 'libsodium-wrappers-sumo'
import { KeyRing, openGrant, standardModule, unwrapKey, verifyAnnouncement } from '../src/index.js'
import {
  accountX25519Case,
  aeadCase,
  announcementCase,
  buildVectors,
  eventCase,
  grantCase,
  keyTreeCase,
  sealsCase,
  wrapCase,
  x25519Case,
} from './compute.js'

const file = JSON.parse(readFileSync(new URL('./v1.json', import.meta.url), 'utf8'))
const bytes = (h: string) => fromHex(h)
const bobKeys = () => ({
  publicKey: bytes(file.x25519[1].output.publicKey),
  secretKey: bytes(file.x25519[1].output.secretKey),
})

describe('published vectors v1.json', () => {
  before(async () => {
    await cryptoReady()
    await sodium.ready
  })

  it('names its format and module', () => {
    assert.deepEqual(
      [file.format, file.version, file.module],
      ['ddc-crypto-vectors', 1, 'xchacha20poly1305-blake2b-v1'],
    )
  })

  it('key tree: re-derives every key and kid from its inputs', () => {
    for (const c of file.keyTree) {
      assert.deepEqual(keyTreeCase(c.input), c)
      const { master, bucket, scope, epoch, owner } = c.input
      const bucketKey = blake2b(frame(utf8('ddc:v1:key:bucket-scope'), utf8(bucket), utf8(scope), u32be(epoch)), {
        key: bytes(master),
        dkLen: 32,
      })
      assert.deepEqual(bucketKey, bytes(c.output.bucketScopeKey), 'independent BLAKE2b')
      assert.deepEqual(toAccountId(owner.address), bytes(owner.accountId))
    }
  })

  it('aead: reproduces the associated data and ciphertext under the fixed nonce, and it opens', () => {
    for (const c of file.aead) {
      assert.deepEqual(aeadCase(c.input), c)
      const sealed = bytes(c.output.sealed)
      const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        sealed.subarray(24),
        bytes(c.output.ad),
        sealed.subarray(0, 24),
        bytes(c.input.key),
      )
      assert.deepEqual(decodeCanonical(plain), c.input.fields)
    }
  })

  it('event: reproduces the body block, the envelope and their CIDs, and decrypts back', async () => {
    const c = file.event
    assert.deepEqual(await eventCase(c.input), c)
    const { envelope, cid } = decodeEnvelope(bytes(c.output.envelope))
    assert.equal(cid.toString(), c.output.envelopeCid)
    const body = bytes(c.output.body)
    verifyBlock(parseCid(c.output.bodyCid), body)
    const keys = new KeyRing({ keys: [{ level: 'master', key: bytes(c.input.master) }] })
    const out = await standardModule().decrypt(envelope, body, keys)
    assert.deepEqual(out, { data: c.input.data, opened: ['activity', 'profile'], locked: [] })
  })

  it('seals: reproduces the ed25519 batch signatures of 1 and 3 events, and each verifies', async () => {
    const c = file.seals
    assert.deepEqual(await sealsCase(c.input), c)
    const account = bytes(c.output.signer.accountId)
    c.input.batches.forEach((cids: string[], b: number) => {
      const batch = c.output.batches[b]
      cids.forEach((cid, i) => {
        const s = batch.seals[i]
        verifySeal(
          c.input.kind,
          parseCid(cid),
          { scheme: 'ed25519', sig: bytes(batch.signature), n: s.n, i: s.i, path: s.path.map(bytes) },
          account,
        )
      })
    })
  })

  it('x25519: reproduces the key pairs from a fixed seed and from a dev account', () => {
    assert.deepEqual(x25519Case(file.x25519[0].input), file.x25519[0])
    assert.deepEqual(accountX25519Case(file.x25519[1].input), file.x25519[1])
    for (const c of file.x25519)
      assert.deepEqual(sodium.crypto_scalarmult_base(bytes(c.output.secretKey)), bytes(c.output.publicKey))
  })

  it("wrap: reproduces the sealed box under a fixed ephemeral key, and libsodium's seal_open opens it", () => {
    assert.deepEqual(wrapCase(file.wrap.input), file.wrap)
    assert.deepEqual(unwrapKey(bytes(file.wrap.output.wrapped), bobKeys()), bytes(file.wrap.input.key))
  })

  it('grant: reproduces the record and signature; it verifies and opens to the bucket scope key', async () => {
    const c = file.grant
    assert.deepEqual(await grantCase(c.input), c)
    const seal = { scheme: 'ed25519', sig: bytes(c.output.signature), n: 1, i: 0, path: [] }
    const key = await openGrant({ bytes: bytes(c.output.cbor), seal }, bobKeys(), { now: c.input.created })
    assert.deepEqual(key.key, bytes(file.keyTree[0].output.bucketScopeKey))
  })

  it('announcement: reproduces the record and signature, and it verifies', async () => {
    const c = file.announcement
    assert.deepEqual(await announcementCase(c.input), c)
    const signed = verifyAnnouncement({
      bytes: bytes(c.output.cbor),
      seal: { scheme: 'ed25519', sig: bytes(c.output.signature), n: 1, i: 0, path: [] },
    })
    assert.deepEqual(signed.record.x25519, bytes(file.x25519[1].output.publicKey))
  })

  it('is exactly what generate.ts writes', async () => {
    assert.deepEqual(JSON.parse(JSON.stringify(await buildVectors())), file)
  })
})
