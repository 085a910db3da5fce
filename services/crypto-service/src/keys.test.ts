import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createAccount, sealFromJson, sealToJson, toHex } from '@ddc/core'
import {
  announcementFromJson,
  createAnnouncement,
  createGrant,
  encryptionKeyPair,
  grantFromJson,
  KeyRing,
  openGrant,
  standardModule,
  verifyAnnouncement,
  verifyGrant,
} from '@ddc/crypto'
import { event, fixture, TOKENS } from './_fixture.js'

const DAY = 86_400_000
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))
const wire = (g: { bytes: string; seal: unknown }) => ({ bytes: b64(g.bytes), seal: sealFromJson(g.seal as never) })

/** Encrypts an event through the service and returns what a reader needs to open it with the library. */
async function sealed(
  call: Awaited<ReturnType<typeof fixture>>['call'],
  owner: { address: string; accountId: Uint8Array },
  id = 'evt-1',
) {
  const enc = (await call('POST', '/v1/encrypt', event(owner.address, id))).body
  const envelope = {
    bucket: 'demo-app',
    owner: owner.accountId,
    id,
    type: 'page_view',
    enc: enc.enc,
    scopes: enc.scopes,
    pub: enc.pub,
  }
  return { envelope, body: b64(enc.body) }
}

describe('grants', () => {
  it('GET /v1/account serves the service address and a verifiable X25519 announcement', async () => {
    const { call } = await fixture()
    const res = await call('GET', '/v1/account')
    assert.equal(res.status, 200)
    const card = verifyAnnouncement({
      bytes: b64(res.body.announcement.bytes),
      seal: sealFromJson(res.body.announcement.seal),
    })
    assert.equal(res.body.address, createAccount({ uri: '//CryptoServiceTest' }).address)
    assert.equal(toHex(card.record.x25519), res.body.x25519)
    assert.deepEqual(announcementFromJson(res.body.announcement.record), card.record)
    assert.equal(card.cid.toString(), res.body.announcement.cid)
  })

  it('a reader with a grant from /v1/keys/wrap opens only the granted scope, for every user of the bucket', async () => {
    const { call, bob, charlie } = await fixture()
    const exp = Date.now() + DAY
    const res = await call('POST', '/v1/keys/wrap', {
      bucket: 'demo-app',
      scope: 'activity',
      grantee: { account: charlie.address, x25519: toHex(encryptionKeyPair(charlie.encryptionSeed).publicKey) },
      exp,
    })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const service = (await call('GET', '/v1/account')).body.address
    assert.equal(res.body.record.grantor, service)
    assert.equal(res.body.record.grantee, charlie.address)
    assert.equal(res.body.record.exp, exp)
    assert.equal(res.body.record.owner, undefined)
    assert.match(res.body.record.kid, /^bucket:/)
    const grant = wire(res.body)
    assert.deepEqual(verifyGrant(grant).record, grantFromJson(res.body.record))
    assert.equal(verifyGrant(grant).cid.toString(), res.body.cid)

    const keys = new KeyRing().add(await openGrant(grant, encryptionKeyPair(charlie.encryptionSeed)))
    for (const owner of [bob, charlie]) {
      const { envelope, body } = await sealed(call, owner)
      const read = await standardModule().decrypt(envelope, body, keys)
      assert.deepEqual(read.opened, ['activity'])
      assert.deepEqual(read.locked, [{ scope: 'profile', reason: 'no-key' }])
      assert.deepEqual(read.data, { page: '/pricing', ctx: { os: 'linux', lang: 'en' } })
    }
  })

  it("wraps one user's scope key when owner is given, at the epoch asked for, for a grantee named by its announcement", async () => {
    const { call, bob, charlie } = await fixture()
    const announcement = await createAnnouncement({ signer: charlie })
    const res = await call('POST', '/v1/keys/wrap', {
      bucket: 'demo-app',
      scope: 'profile',
      owner: bob.address,
      grantee: {
        announcement: {
          bytes: Buffer.from(announcement.bytes).toString('base64'),
          seal: sealToJson(announcement.seal),
        },
      },
      exp: Date.now() + DAY,
    })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.body.record.owner, bob.address)
    assert.equal(res.body.record.epoch, 1, "the scope's current epoch")
    const keys = new KeyRing().add(await openGrant(wire(res.body), encryptionKeyPair(charlie.encryptionSeed)))
    const bobs = await sealed(call, bob)
    assert.deepEqual((await standardModule().decrypt(bobs.envelope, bobs.body, keys)).data, {
      email: 'bob@example.com',
      ctx: { lang: 'en' },
    })
    const charlies = await sealed(call, charlie)
    assert.deepEqual((await standardModule().decrypt(charlies.envelope, charlies.body, keys)).opened, [])

    const old = await call('POST', '/v1/keys/wrap', {
      bucket: 'demo-app',
      scope: 'profile',
      epoch: 0,
      owner: bob.address,
      grantee: {
        account: charlie.address,
        x25519: Buffer.from(encryptionKeyPair(charlie.encryptionSeed).publicKey).toString('base64'),
      },
      exp: Date.now() + DAY,
    })
    assert.equal(old.body.record.epoch, 0)
    const oldKeys = new KeyRing().add(await openGrant(wire(old.body), encryptionKeyPair(charlie.encryptionSeed)))
    const stale = await standardModule().decrypt(bobs.envelope, bobs.body, oldKeys)
    assert.deepEqual(stale.opened, [], 'a key of an old epoch does not open data sealed at the new one')
  })

  it('re-wraps a grant addressed to the service for another grantee, never outliving it', async () => {
    const { call, bob, charlie } = await fixture()
    const dave = createAccount({ uri: '//Dave' })
    const account = (await call('GET', '/v1/account')).body
    const toService = await call('POST', '/v1/keys/wrap', {
      bucket: 'demo-app',
      scope: 'activity',
      owner: bob.address,
      grantee: { announcement: account.announcement },
      exp: Date.now() + DAY,
    })
    assert.equal(toService.status, 200)
    const exp = Date.now() + DAY / 2
    const daveX = toHex(encryptionKeyPair(dave.encryptionSeed).publicKey)
    const res = await call('POST', '/v1/keys/rewrap', {
      grant: toService.body,
      grantee: { account: dave.address, x25519: daveX },
      exp,
    })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.body.record.grantee, dave.address)
    assert.equal(res.body.record.grantor, account.address)
    assert.equal(res.body.record.kid, toService.body.record.kid)
    const keys = new KeyRing().add(await openGrant(wire(res.body), encryptionKeyPair(dave.encryptionSeed)))
    const { envelope, body } = await sealed(call, bob)
    assert.deepEqual((await standardModule().decrypt(envelope, body, keys)).opened, ['activity'])

    const later = await call('POST', '/v1/keys/rewrap', {
      grant: toService.body,
      grantee: { account: dave.address, x25519: daveX },
      exp: Date.now() + 2 * DAY,
    })
    assert.equal(later.status, 400)
    assert.match(later.body.message, /later than the source grant/)

    // A grant for someone else is not the service's to hand on.
    const forCharlie = await call('POST', '/v1/keys/wrap', {
      bucket: 'demo-app',
      scope: 'activity',
      grantee: { account: charlie.address, x25519: toHex(encryptionKeyPair(charlie.encryptionSeed).publicKey) },
      exp: Date.now() + DAY,
    })
    const stolen = await call('POST', '/v1/keys/rewrap', {
      grant: forCharlie.body,
      grantee: { account: dave.address, x25519: daveX },
      exp,
    })
    assert.equal(stolen.status, 400)
    assert.match(stolen.body.message, /addressed to 5FLSigC9/)

    // A grant Bob's wallet signs for the service (a key the service never held): accepted from any
    // grantor, unless trustedGrantors names who may route grants through the service.
    const card = verifyAnnouncement(wire(account.announcement)).record
    const fromBob = await createGrant({
      signer: bob,
      grantee: card,
      key: { level: 'bucket', bucket: 'elsewhere', scope: 's', epoch: 0, key: new Uint8Array(32).fill(7) },
      exp: Date.now() + DAY,
    })
    const bobGrant = { bytes: Buffer.from(fromBob.bytes).toString('base64'), seal: sealToJson(fromBob.seal) }
    const ok = await call('POST', '/v1/keys/rewrap', {
      grant: bobGrant,
      grantee: { account: dave.address, x25519: daveX },
      exp,
    })
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.equal(ok.body.record.bucket, 'elsewhere')
    const rewrap = { grant: bobGrant, grantee: { account: dave.address, x25519: daveX }, exp }
    const demoOnly = await call('POST', '/v1/keys/rewrap', rewrap, TOKENS.demo)
    assert.equal(demoOnly.status, 403, "the token needs wrap on the grant's bucket")
    const forged = {
      ...bobGrant,
      seal: sealToJson({ ...fromBob.seal, sig: fromBob.seal.sig.map((b, i) => (i ? b : b ^ 1)) }),
    }
    assert.equal((await call('POST', '/v1/keys/rewrap', { ...rewrap, grant: forged })).body.code, 'ERR_BAD_SIGNATURE')
    const strict = await fixture({ trustedGrantors: [charlie.address] }) // same service account
    const refused = await strict.call('POST', '/v1/keys/rewrap', {
      grant: bobGrant,
      grantee: { account: dave.address, x25519: daveX },
      exp,
    })
    assert.equal(refused.status, 403)
    assert.equal(refused.body.code, 'ERR_FORBIDDEN')

    // An expired source grant is not handed on.
    const created = Date.now() - 10_000
    const stale = await createGrant({
      signer: bob,
      grantee: card,
      key: { level: 'bucket', bucket: 'elsewhere', scope: 's', epoch: 0, key: new Uint8Array(32).fill(7) },
      created,
      exp: created + 1000,
    })
    const expired = await call('POST', '/v1/keys/rewrap', {
      grant: { bytes: Buffer.from(stale.bytes).toString('base64'), seal: sealToJson(stale.seal) },
      grantee: { account: dave.address, x25519: daveX },
      exp: Date.now() + 1000,
    })
    assert.equal(expired.status, 401)
    assert.equal(expired.body.code, 'ERR_EXPIRED')
    assert.match(expired.body.message, /expired/)
  })

  it('refuses grants it cannot or may not sign', async () => {
    const { call, charlie } = await fixture({
      maxGrantTtlMs: 2 * DAY,
      buckets: {
        'demo-app': { bucketKeys: [{ scope: 'activity', epoch: 0, key: `0x${'33'.repeat(32)}` }] },
      },
    })
    const grantee = { account: charlie.address, x25519: toHex(encryptionKeyPair(charlie.encryptionSeed).publicKey) }
    const wrap = (over: Record<string, unknown>) =>
      call('POST', '/v1/keys/wrap', { bucket: 'demo-app', scope: 'activity', grantee, exp: Date.now() + DAY, ...over })
    assert.equal((await wrap({})).status, 200)
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ scope: 'profile' }, 400, 'ERR_MISSING_KEY', /holds no key for scope 'profile'/],
      [{ epoch: 1 }, 400, 'ERR_MISSING_KEY', /epoch 1/],
      [{ bucket: 'nope' }, 404, 'ERR_NOT_FOUND', /not configured/],
      [{ exp: Date.now() - 1 }, 400, 'ERR_INVALID_INPUT', /not in the future/],
      [{ exp: Date.now() + 3 * DAY }, 400, 'ERR_INVALID_INPUT', /at most/],
      [
        { grantee: { account: charlie.address, x25519: '0x1234' } },
        400,
        'ERR_INVALID_INPUT',
        /32-byte key as hex .* or base64/,
      ],
      [{ grantee: { account: 'nobody', x25519: grantee.x25519 } }, 400, 'ERR_INVALID_ADDRESS', /SS58/],
      [
        {
          grantee: { announcement: { bytes: 'AAAA', seal: { scheme: 'sr25519', sig: '0x00', n: 1, i: 0, path: [] } } },
        },
        400,
        'ERR_BAD_SIGNATURE',
        /signature/,
      ],
    ]
    for (const [over, status, code, message] of cases) {
      const res = await wrap(over)
      assert.equal(res.status, status, `${JSON.stringify(over)} → ${JSON.stringify(res.body)}`)
      assert.equal(res.body.code, code)
      assert.match(res.body.message, message)
    }
    // The user key below the held bucket key is derivable; a wrap of it works.
    const bob = createAccount({ uri: '//Bob' })
    assert.equal((await wrap({ owner: bob.address })).body.record.owner, bob.address)
  })
})
