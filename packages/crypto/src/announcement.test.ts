import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  BadSignatureError,
  cidOf,
  createAccount,
  cryptoReady,
  encodeCanonical,
  InvalidInputError,
  type LocalSigner,
  sealOne,
  toAddress,
  UnsupportedVersionError,
} from '@ddc/core'
import {
  announcementFromJson,
  announcementToJson,
  createAnnouncement,
  decodeAnnouncement,
  encodeAnnouncement,
  verifyAnnouncement,
} from './announcement.js'
import { encryptionKeyPair } from './wrap.js'

let alice: LocalSigner
let bob: LocalSigner

describe('key announcement', () => {
  before(async () => {
    await cryptoReady()
    alice = createAccount({ uri: '//Alice' })
    bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
  })

  it("announces the account's derived X25519 key, signed by the account", async () => {
    const signed = await createAnnouncement({ signer: alice, created: 1_700_000_000_000 })
    assert.deepEqual(signed.record, {
      v: 1,
      account: alice.accountId,
      x25519: encryptionKeyPair(alice.encryptionSeed).publicKey,
      created: 1_700_000_000_000,
    })
    const received = verifyAnnouncement({ bytes: signed.bytes, seal: signed.seal })
    assert.deepEqual(received.record, signed.record)
    assert.ok(received.cid.equals(cidOf(signed.bytes)))
  })

  it('takes the public key from a signer that holds no seed (a wallet)', async () => {
    const { signRaw, accountId, address, scheme } = bob
    const wallet = { signRaw, accountId, address, scheme }
    await assert.rejects(createAnnouncement({ signer: wallet }), InvalidInputError)
    const pub = encryptionKeyPair(bob.encryptionSeed).publicKey
    const signed = await createAnnouncement({ signer: wallet, publicKey: pub })
    assert.deepEqual(verifyAnnouncement(signed).record.x25519, pub)
  })

  it('refuses an announcement signed by anyone but the account it names', async () => {
    const record = { v: 1, account: alice.accountId, x25519: new Uint8Array(32).fill(6), created: 1 }
    const bytes = encodeAnnouncement(record as never)
    const seal = await sealOne(bob, 'key', cidOf(bytes))
    assert.throws(() => verifyAnnouncement({ bytes, seal }), BadSignatureError)
  })

  it('refuses altered bytes and seals of another kind', async () => {
    const signed = await createAnnouncement({ signer: alice, created: 5 })
    const other = await createAnnouncement({ signer: alice, created: 6 })
    assert.throws(() => verifyAnnouncement({ bytes: other.bytes, seal: signed.seal }), BadSignatureError)
    const asGrant = await sealOne(alice, 'grant', signed.cid)
    assert.throws(() => verifyAnnouncement({ bytes: signed.bytes, seal: asGrant }), BadSignatureError)
  })

  it('parses untrusted records strictly', () => {
    const good = { v: 1, account: alice.accountId, x25519: new Uint8Array(32), created: 1 }
    assert.deepEqual(decodeAnnouncement(encodeCanonical(good)), good)
    assert.throws(() => decodeAnnouncement(encodeCanonical({ ...good, v: 2, extra: 1 })), UnsupportedVersionError)
    for (const bad of [
      { ...good, x25519: new Uint8Array(31) },
      { ...good, account: 'alice' },
      { ...good, created: -1 },
      { ...good, created: 1.5 },
      { ...good, extra: true },
      { v: 1, account: alice.accountId, x25519: new Uint8Array(32) },
    ]) {
      assert.throws(() => decodeAnnouncement(encodeCanonical(bad)), InvalidInputError, JSON.stringify(Object.keys(bad)))
    }
  })

  it('has a JSON view with an SS58 account and hex key that reads back to the same record', () => {
    const record = { v: 1 as const, account: alice.accountId, x25519: new Uint8Array(32).fill(0xab), created: 7 }
    const json = announcementToJson(record, 54)
    assert.equal(json.account, toAddress(alice.accountId, 54))
    assert.match(json.x25519, /^0x(ab){32}$/)
    assert.deepEqual(announcementFromJson(JSON.parse(JSON.stringify(json))), record)
    assert.throws(() => announcementFromJson({ ...json, x25519: 5 }), InvalidInputError)
    assert.throws(() => announcementFromJson({ ...json, v: 9 }), UnsupportedVersionError)
  })
})
