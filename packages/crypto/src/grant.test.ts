import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  BadSignatureError,
  cidOf,
  createAccount,
  cryptoReady,
  DecryptionError,
  ExpiredError,
  encodeCanonical,
  InvalidInputError,
  type LocalSigner,
  sealOne,
  UnsupportedVersionError,
} from '@ddc/core'
import { createGrant, decodeGrant, encodeGrant, grantFromJson, grantToJson, openGrant, verifyGrant } from './grant.js'
import { KeyRing } from './keyring.js'
import { deriveBucketScopeKey, deriveUserScopeKey, keyId } from './keytree.js'
import { standardModule } from './standard.js'
import { encryptionKeyPair, wrapKey, type X25519KeyPair } from './wrap.js'

const master = new Uint8Array(32).fill(3)
const ref = { bucket: 'app-1', scope: 'profile', epoch: 0 }
const created = 1_700_000_000_000
const exp = created + 3_600_000
const module = standardModule({ scopes: { '*': { scopes: { profile: ['email'] }, unmapped: 'public' } } })
let app: LocalSigner
let analyst: LocalSigner
let alice: LocalSigner
let bob: LocalSigner
let analystKeys: X25519KeyPair
let analystCard: { account: Uint8Array; x25519: Uint8Array }

async function sealedFor(owner: LocalSigner, epoch = 0) {
  const writer = standardModule({
    scopes: { '*': { scopes: { profile: ['email'] }, unmapped: 'public' } },
    epochs: { profile: epoch },
  })
  const ev = {
    bucket: 'app-1',
    owner: owner.accountId,
    id: `e-${owner.address.slice(0, 6)}-${epoch}`,
    type: 't',
    data: { email: `${owner.address}@x` },
  }
  const enc = await writer.encrypt(ev, new KeyRing({ keys: [{ level: 'master', key: master }] }))
  return { envelope: { ...ev, ...enc }, body: enc.body }
}

describe('grants', () => {
  before(async () => {
    await cryptoReady()
    app = createAccount({ uri: '//Ferdie', scheme: 'ed25519' })
    analyst = createAccount({ uri: '//Charlie' })
    alice = createAccount({ uri: '//Alice' })
    bob = createAccount({ uri: '//Bob' })
    analystKeys = encryptionKeyPair(analyst.encryptionSeed)
    analystCard = { account: analyst.accountId, x25519: analystKeys.publicKey }
  })

  it('hands a bucket scope key to a grantee, who can then read that scope of every user', async () => {
    const grant = await createGrant({
      signer: app,
      grantee: analystCard,
      key: deriveBucketScopeKey(master, ref),
      created,
      exp,
    })
    assert.equal(grant.record.owner, undefined)
    assert.match(grant.record.kid, /^bucket:/)
    const key = await openGrant({ bytes: grant.bytes, seal: grant.seal }, analystKeys, { now: created + 1 })
    assert.deepEqual(key, deriveBucketScopeKey(master, ref))
    const ring = new KeyRing().add(key)
    for (const user of [alice, bob]) {
      const { envelope, body } = await sealedFor(user)
      assert.deepEqual((await module.decrypt(envelope, body, ring)).data, { email: `${user.address}@x` })
    }
  })

  it("hands one user's scope key that opens that user's events and no one else's", async () => {
    const userKey = deriveUserScopeKey(deriveBucketScopeKey(master, ref), alice.accountId)
    const grant = await createGrant({ signer: alice, grantee: analystCard, key: userKey, created, exp })
    assert.deepEqual(grant.record.owner, alice.accountId)
    const ring = new KeyRing().add(await openGrant(grant, analystKeys, { now: created }))
    const mine = await sealedFor(alice)
    const theirs = await sealedFor(bob)
    assert.deepEqual((await module.decrypt(mine.envelope, mine.body, ring)).opened, ['profile'])
    assert.deepEqual((await module.decrypt(theirs.envelope, theirs.body, ring)).locked, [
      { scope: 'profile', reason: 'no-key' },
    ])
  })

  it('cannot be opened with the wrong key pair', async () => {
    const grant = await createGrant({
      signer: app,
      grantee: analystCard,
      key: deriveBucketScopeKey(master, ref),
      created,
      exp,
    })
    const eve = encryptionKeyPair(new Uint8Array(32).fill(0xee))
    await assert.rejects(openGrant(grant, eve, { now: created }), DecryptionError)
  })

  it('is refused once expired', async () => {
    const grant = await createGrant({
      signer: app,
      grantee: analystCard,
      key: deriveBucketScopeKey(master, ref),
      created,
      exp,
    })
    assert.ok(verifyGrant(grant, { now: exp - 1 }))
    assert.throws(() => verifyGrant(grant, { now: exp }), ExpiredError)
    await assert.rejects(openGrant(grant, analystKeys, { now: exp + 1 }), ExpiredError)
    await assert.rejects(
      createGrant({ signer: app, grantee: analystCard, key: deriveBucketScopeKey(master, ref), created, exp: created }),
      InvalidInputError,
    )
  })

  it('is refused when its signature is not the grantor’s or the bytes changed', async () => {
    const grant = await createGrant({
      signer: app,
      grantee: analystCard,
      key: deriveBucketScopeKey(master, ref),
      created,
      exp,
    })
    const forged = await sealOne(bob, 'grant', grant.cid)
    assert.throws(() => verifyGrant({ bytes: grant.bytes, seal: forged }, { now: created }), BadSignatureError)
    const longer = encodeGrant({ ...grant.record, exp: exp + 1 })
    assert.throws(() => verifyGrant({ bytes: longer, seal: grant.seal }, { now: created }), BadSignatureError)
  })

  it('is refused when the wrapped key is not the key its kid names', async () => {
    const real = deriveBucketScopeKey(master, ref)
    const other = deriveBucketScopeKey(master, { ...ref, scope: 'activity' })
    const lie = encodeGrant({
      v: 1,
      grantor: app.accountId,
      grantee: analyst.accountId,
      ...ref,
      kid: keyId(real),
      wrapped: wrapKey(other.key, analystKeys.publicKey),
      created,
      exp,
    })
    const seal = await sealOne(app, 'grant', cidOf(lie))
    await assert.rejects(openGrant({ bytes: lie, seal }, analystKeys, { now: created }), DecryptionError)
  })

  it('is a revocation by rotation: a grant for epoch 0 does not open epoch 1', async () => {
    const grant = await createGrant({
      signer: app,
      grantee: analystCard,
      key: deriveBucketScopeKey(master, ref),
      created,
      exp,
    })
    const ring = new KeyRing().add(await openGrant(grant, analystKeys, { now: created }))
    const next = await sealedFor(alice, 1)
    assert.deepEqual((await module.decrypt(next.envelope, next.body, ring)).locked, [
      { scope: 'profile', reason: 'no-key' },
    ])
  })

  it('refuses to grant a master key', async () => {
    await assert.rejects(
      createGrant({ signer: app, grantee: analystCard, key: { level: 'master', key: master } as never, created, exp }),
      InvalidInputError,
    )
  })

  it('parses untrusted grants strictly', async () => {
    const { record } = await createGrant({
      signer: app,
      grantee: analystCard,
      key: deriveBucketScopeKey(master, ref),
      created,
      exp,
    })
    assert.deepEqual(decodeGrant(encodeGrant(record)), record)
    assert.throws(() => decodeGrant(encodeCanonical({ ...record, v: 2 })), UnsupportedVersionError)
    const bad: Record<string, unknown>[] = [
      { ...record, epoch: '0' },
      { ...record, epoch: 2 ** 32 },
      { ...record, bucket: 'a b' },
      { ...record, wrapped: new Uint8Array(79) },
      { ...record, kid: 'user:00' },
      { ...record, owner: alice.accountId }, // a bucket kid with an owner
      { ...record, grantee: 'charlie' },
      { ...record, exp: created },
      { ...record, note: 'hi' },
    ]
    for (const b of bad)
      assert.throws(
        () => decodeGrant(encodeCanonical(b)),
        InvalidInputError,
        JSON.stringify(b, (_, v) => (v instanceof Uint8Array ? v.length : v)),
      )
  })

  it('has a JSON view that reads back to the same record', async () => {
    const { record } = await createGrant({
      signer: alice,
      grantee: analystCard,
      key: deriveUserScopeKey(deriveBucketScopeKey(master, ref), alice.accountId),
      created,
      exp,
    })
    const json = grantToJson(record)
    assert.equal(json.owner, alice.address)
    assert.equal(json.grantee, analyst.address)
    assert.deepEqual(grantFromJson(JSON.parse(JSON.stringify(json))), record)
    assert.throws(() => grantFromJson({ ...json, wrapped: 'zz' }), InvalidInputError)
    assert.throws(() => grantFromJson({ ...json, v: 0 }), UnsupportedVersionError)
  })
})
