import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  cidOf,
  createAccount,
  cryptoReady,
  DecryptionError,
  decodeEnvelope,
  InvalidInputError,
  type LocalSigner,
  linkEvents,
  MissingKeyError,
  UnsupportedVersionError,
  verifyBlock,
} from '@ddc/core'
import { decodeBody, encodeBody } from './body.js'
import { KeyRing, type KeySource } from './keyring.js'
import { deriveBucketScopeKey, deriveUserScopeKey } from './keytree.js'
import { decryptEvent, type EncryptedEvent, type PlainEvent, type SealedEvent } from './module.js'
import { STANDARD_MODULE_ID, standardModule } from './standard.js'

const scopes = {
  page_view: { scopes: { profile: ['email', 'name'], activity: ['page', '/ctx/device/os'] }, unmapped: 'public' },
  '*': { scopes: { other: ['x'] }, unmapped: 'public' },
}
const master = new Uint8Array(32).fill(42)
const writerKeys = () => new KeyRing({ keys: [{ level: 'master', key: master }] })
let alice: LocalSigner
let bob: LocalSigner
let event: PlainEvent
let sealed: EncryptedEvent
const module = standardModule({ scopes })
const envelopeOf = (ev: PlainEvent, enc: EncryptedEvent): SealedEvent => ({
  bucket: ev.bucket,
  owner: ev.owner,
  id: ev.id,
  type: ev.type,
  ...enc,
})

describe('standard module', () => {
  before(async () => {
    await cryptoReady()
    alice = createAccount({ uri: '//Alice', scheme: 'ed25519' })
    bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
    event = {
      bucket: 'app-1',
      owner: alice.accountId,
      id: 'ev-1',
      type: 'page_view',
      data: {
        email: 'alice@example.com',
        name: 'Alice',
        page: '/home',
        ctx: { device: { os: 'linux', model: 'T14' } },
        n: 1,
      },
    }
    sealed = await module.encrypt(event, writerKeys())
  })

  it('round-trips an event through a signed-shape envelope and a body block', async () => {
    assert.equal(sealed.enc, STANDARD_MODULE_ID)
    assert.deepEqual(sealed.pub, { ctx: { device: { model: 'T14' } }, n: 1 })
    assert.deepEqual(Object.keys(sealed.scopes), ['activity', 'profile'])
    assert.equal(sealed.scopes.profile!.epoch, 0)
    assert.match(sealed.scopes.profile!.kid!, /^user:[0-9a-f]{32}$/)
    const bodyCid = cidOf(sealed.body)
    const [linked] = linkEvents(null, [
      {
        bucket: event.bucket,
        owner: event.owner,
        id: event.id,
        type: event.type,
        ts: 1,
        pub: sealed.pub,
        enc: sealed.enc,
        scopes: sealed.scopes,
        body: bodyCid,
      },
    ])
    const { envelope } = decodeEnvelope(linked!.bytes)
    verifyBlock(envelope.body!, sealed.body)
    const out = await module.decrypt(envelope, sealed.body, writerKeys())
    assert.deepEqual(out, { data: event.data, opened: ['activity', 'profile'], locked: [] })
  })

  it('opens only the scopes a reader has keys for and reports the rest as locked', async () => {
    const activityOnly = new KeyRing({
      keys: [deriveBucketScopeKey(master, { bucket: 'app-1', scope: 'activity', epoch: 0 })],
    })
    const out = await module.decrypt(envelopeOf(event, sealed), sealed.body, activityOnly)
    assert.deepEqual(out.opened, ['activity'])
    assert.deepEqual(out.locked, [{ scope: 'profile', reason: 'no-key' }])
    assert.deepEqual(out.data, { page: '/home', ctx: { device: { os: 'linux', model: 'T14' } }, n: 1 })
    const none = await module.decrypt(envelopeOf(event, sealed), sealed.body, new KeyRing())
    assert.deepEqual(none.data, sealed.pub)
    assert.equal(none.locked.length, 2)
  })

  it("does not let one user's scope key open another user's scope", async () => {
    const bucketKey = deriveBucketScopeKey(master, { bucket: 'app-1', scope: 'profile', epoch: 0 })
    const bobsKey = deriveUserScopeKey(bucketKey, bob.accountId)
    // Bob's key presented as if it were Alice's.
    const confused: KeySource = { userScopeKey: (r) => (r.scope === 'profile' ? bobsKey.key : undefined) }
    const out = await module.decrypt(envelopeOf(event, sealed), sealed.body, confused)
    assert.deepEqual(
      out.locked.find((l) => l.scope === 'profile'),
      { scope: 'profile', reason: 'no-key' },
      'kid does not match',
    )
    const noKid = { ...sealed, scopes: { profile: { epoch: 0 }, activity: { epoch: 0 } } }
    const out2 = await module.decrypt(envelopeOf(event, noKid), sealed.body, confused)
    assert.deepEqual(
      out2.locked.find((l) => l.scope === 'profile'),
      { scope: 'profile', reason: 'bad-ciphertext' },
      'AEAD refuses it',
    )
  })

  it('detects a flipped byte anywhere in the body', async () => {
    const keys = writerKeys()
    for (let i = 0; i < sealed.body.length; i++) {
      const body = sealed.body.slice()
      body[i]! ^= 0x01
      const out = await module.decrypt(envelopeOf(event, sealed), body, keys)
      assert.ok(out.locked.length > 0 && out.locked.every((l) => l.reason === 'bad-ciphertext'), `byte ${i}`)
      for (const scope of out.opened) assert.ok(['activity', 'profile'].includes(scope))
      await assert.rejects(
        module.decrypt(envelopeOf(event, sealed), body, keys, { strict: true }),
        DecryptionError,
        `byte ${i}`,
      )
    }
  })

  it('refuses a ciphertext moved to another event, owner, bucket, type, scope or epoch', async () => {
    const keys = writerKeys()
    const base = envelopeOf(event, sealed)
    const moved: [string, SealedEvent][] = [
      ['event id', { ...base, id: 'ev-2' }],
      ['owner', { ...base, owner: bob.accountId }],
      ['bucket', { ...base, bucket: 'app-2' }],
      ['type', { ...base, type: 'click' }],
      ['epoch', { ...base, scopes: { profile: { epoch: 1 }, activity: { epoch: 1 } } }],
    ]
    for (const [what, env] of moved) {
      const noKids = {
        ...env,
        scopes: Object.fromEntries(Object.entries(env.scopes!).map(([s, m]) => [s, { epoch: m.epoch }])),
      }
      const out = await module.decrypt(noKids, sealed.body, keys)
      assert.deepEqual(out.opened, [], what)
      assert.ok(
        out.locked.every((l) => l.reason === 'bad-ciphertext'),
        what,
      )
    }
    // Swap the two scopes' ciphertexts inside the body.
    const entries = decodeBody(sealed.body)
    const swapped = encodeBody({ profile: entries.activity!, activity: entries.profile! })
    const out = await module.decrypt(
      { ...base, scopes: { profile: { epoch: 0 }, activity: { epoch: 0 } } },
      swapped,
      keys,
    )
    assert.deepEqual(out.locked, [
      { scope: 'activity', reason: 'bad-ciphertext' },
      { scope: 'profile', reason: 'bad-ciphertext' },
    ])
  })

  it('reports a body that does not decode, or lacks a scope, as bad ciphertext', async () => {
    const keys = writerKeys()
    const garbage = await module.decrypt(envelopeOf(event, sealed), new Uint8Array([1, 2, 3]), keys)
    assert.equal(garbage.locked.length, 2)
    const entries = decodeBody(sealed.body)
    const partial = await module.decrypt(envelopeOf(event, sealed), encodeBody({ activity: entries.activity! }), keys)
    assert.deepEqual(partial.opened, ['activity'])
    assert.deepEqual(partial.locked, [{ scope: 'profile', reason: 'bad-ciphertext' }])
  })

  it('throws MissingKeyError in strict mode when a key is missing', async () => {
    await assert.rejects(
      module.decrypt(envelopeOf(event, sealed), sealed.body, new KeyRing(), { strict: true }),
      MissingKeyError,
    )
  })

  it('names the unknown module when an event was sealed by one that is not registered', async () => {
    const foreign = { ...envelopeOf(event, sealed), enc: 'rot13-v0' }
    await assert.rejects(
      module.decrypt(foreign, sealed.body, writerKeys()),
      (e: Error) => e instanceof UnsupportedVersionError && /rot13-v0/.test(e.message),
    )
    await assert.rejects(
      decryptEvent([module], foreign, sealed.body, writerKeys()),
      (e: Error) => e instanceof UnsupportedVersionError && /known: xchacha20poly1305-blake2b-v1/.test(e.message),
    )
    const { enc: _, ...unsealed } = envelopeOf(event, sealed)
    await assert.rejects(module.decrypt(unsealed, sealed.body, writerKeys()), InvalidInputError)
    const plain = await decryptEvent(
      [module],
      { bucket: 'app-1', owner: alice.accountId, id: 'p', type: 't', pub: { a: 1 } },
      new Uint8Array(0),
      new KeyRing(),
    )
    assert.deepEqual(plain, { data: { a: 1 }, opened: [], locked: [] })
  })

  it('seals under the current epoch of each scope, so rotation shuts out holders of old keys', async () => {
    const rotated = standardModule({ scopes, epochs: { profile: 1 } })
    const enc = await rotated.encrypt(event, writerKeys())
    assert.deepEqual({ p: enc.scopes.profile!.epoch, a: enc.scopes.activity!.epoch }, { p: 1, a: 0 })
    const oldGrant = new KeyRing({
      keys: [deriveBucketScopeKey(master, { bucket: 'app-1', scope: 'profile', epoch: 0 })],
    })
    assert.deepEqual((await module.decrypt(envelopeOf(event, enc), enc.body, oldGrant)).locked, [
      { scope: 'activity', reason: 'no-key' },
      { scope: 'profile', reason: 'no-key' },
    ])
    const newGrant = new KeyRing({
      keys: [deriveBucketScopeKey(master, { bucket: 'app-1', scope: 'profile', epoch: 1 })],
    })
    assert.deepEqual((await module.decrypt(envelopeOf(event, enc), enc.body, newGrant)).opened, ['profile'])
    const byFunction = standardModule({
      scopes,
      epochs: (bucket, scope) => (bucket === 'app-1' && scope === 'activity' ? 7 : 0),
    })
    assert.equal((await byFunction.encrypt(event, writerKeys())).scopes.activity!.epoch, 7)
  })

  it('uses a fresh nonce for every scope of every event', async () => {
    const a = decodeBody((await module.encrypt(event, writerKeys())).body)
    const b = decodeBody((await module.encrypt(event, writerKeys())).body)
    const nonces = [a.profile, a.activity, b.profile, b.activity].map((s) =>
      Buffer.from(s!.subarray(0, 24)).toString('hex'),
    )
    assert.equal(new Set(nonces).size, 4)
  })

  it('works with an asynchronous key source', async () => {
    const ring = writerKeys()
    const remote: KeySource = { userScopeKey: async (r) => ring.userScopeKey(r) }
    const enc = await module.encrypt(event, remote)
    assert.deepEqual((await module.decrypt(envelopeOf(event, enc), enc.body, remote)).data, event.data)
  })

  it('refuses to seal without a key, without a scope map, or with a bad nonce source', async () => {
    await assert.rejects(module.encrypt(event, new KeyRing()), MissingKeyError)
    await assert.rejects(standardModule().encrypt(event, writerKeys()), InvalidInputError)
    await assert.rejects(
      standardModule({ scopes, nonce: () => new Uint8Array(12) }).encrypt(event, writerKeys()),
      InvalidInputError,
    )
    await assert.rejects(module.encrypt({ ...event, owner: new Uint8Array(31) }, writerKeys()), InvalidInputError)
    await assert.rejects(
      standardModule({ scopes, epochs: { profile: -1 } }).encrypt(event, writerKeys()),
      InvalidInputError,
    )
  })

  it('seals an all-public event as an empty body', async () => {
    const enc = await module.encrypt({ ...event, type: 'note', data: { y: 1 } }, writerKeys())
    assert.deepEqual(
      { pub: enc.pub, scopes: enc.scopes, body: [...enc.body] },
      { pub: { y: 1 }, scopes: {}, body: [0xa0] },
    )
  })

  it('leaves the envelope fields it reads unchanged', async () => {
    const env = envelopeOf(event, sealed)
    const before = structuredClone(env)
    const out = await module.decrypt(env, sealed.body, writerKeys())
    ;(out.data.ctx as { device: Record<string, unknown> }).device.extra = 1
    assert.deepEqual(env, before)
  })
})
