import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { cidOf, createAccount, type LocalSigner, type SealJson, sealFromJson, sealOne, sealToJson } from '@ddc/core'
import {
  type Announcement,
  createAnnouncement,
  encodeAnnouncement,
  encryptionKeyPair,
  type Signed,
  verifyAnnouncement,
} from '@ddc/crypto'
import { requestJson } from '@ddc/service'
import { startNetwork, type TestNetwork } from './_fixture.js'
import type { Cls } from './server.js'

let net: TestNetwork
let cls: Cls & { url: string }
let alice: LocalSigner
let bob: LocalSigner

const wire = (s: Pick<Signed<Announcement>, 'bytes' | 'seal'>) => ({
  bytes: Buffer.from(s.bytes).toString('base64'),
  seal: sealToJson(s.seal),
})
const put = (body: unknown) => cls.app.inject({ method: 'PUT', url: '/v1/keys', payload: body as object })

describe('key directory', () => {
  before(async () => {
    net = await startNetwork({ nodes: 1 })
    cls = await net.startCls({ dataDir: `${net.dir}/keys-cls` })
    alice = createAccount({ uri: '//Alice' })
    bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
  })
  after(async () => net?.close())

  it('stores a signed announcement and gives it back, verifiable, over a real socket', async () => {
    const signed = await createAnnouncement({ signer: alice, created: Date.now() - 10_000 })
    const res = await put(wire(signed))
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().outcome, 'created')

    const got = await requestJson<{ cid: string; record: Record<string, unknown>; bytes: string; seal: unknown }>(
      `${cls.url}/v1/keys/${alice.address}`,
    )
    assert.equal(got.cid, signed.cid.toString())
    assert.deepEqual(got.record, {
      v: 1,
      account: alice.address,
      x25519: `0x${Buffer.from(encryptionKeyPair(alice.encryptionSeed).publicKey).toString('hex')}`,
      created: signed.record.created,
    })
    const opened = verifyAnnouncement({
      bytes: new Uint8Array(Buffer.from(got.bytes, 'base64')),
      seal: sealFromJson(got.seal as SealJson),
    })
    assert.deepEqual(opened.record, signed.record)
    // What GET answers can be sent again as is: nothing changes.
    const again = await put(got)
    assert.equal(again.statusCode, 200)
    assert.equal(again.json().outcome, 'unchanged')
  })

  it('keeps the newest: a later announcement replaces, an older or equally old one is a conflict', async () => {
    const t = Date.now()
    const first = await createAnnouncement({ signer: bob, created: t - 5000 })
    const newer = await createAnnouncement({ signer: bob, publicKey: new Uint8Array(32).fill(9), created: t - 1000 })
    const older = await createAnnouncement({ signer: bob, publicKey: new Uint8Array(32).fill(8), created: t - 3000 })
    const sameTime = await createAnnouncement({ signer: bob, publicKey: new Uint8Array(32).fill(7), created: t - 1000 })
    assert.equal((await put(wire(first))).statusCode, 201)
    const replaced = await put(wire(newer))
    assert.equal(replaced.statusCode, 200)
    assert.equal(replaced.json().outcome, 'replaced')
    for (const stale of [older, sameTime, first]) {
      const res = await put(wire(stale))
      assert.equal(res.statusCode, 409)
      assert.equal(res.json().code, 'ERR_CONFLICT')
      assert.equal(res.json().details.created, t - 1000)
    }
    const got = (await cls.app.inject(`/v1/keys/${bob.address}`)).json()
    assert.equal(got.record.x25519, `0x${'09'.repeat(32)}`)
  })

  it('settles concurrent announcements of one account on the newest', async () => {
    const carol = createAccount({ uri: '//Carol' })
    const t = Date.now() - 60_000
    const all = await Promise.all(
      [3, 1, 4, 0, 2].map((k) =>
        createAnnouncement({ signer: carol, publicKey: new Uint8Array(32).fill(k), created: t + k }),
      ),
    )
    const answers = await Promise.all(all.map((a) => put(wire(a))))
    assert.ok(answers.every((r) => [200, 201, 409].includes(r.statusCode)))
    assert.equal(answers.filter((r) => r.statusCode === 201).length, 1)
    const got = (await cls.app.inject(`/v1/keys/${carol.address}`)).json()
    assert.equal(got.record.created, t + 4)
  })

  it('refuses bad signatures, malformed input and far-future dates', async () => {
    const signed = await createAnnouncement({ signer: alice, created: Date.now() })
    // Bob seals a record that names Alice.
    const forged = encodeAnnouncement({
      v: 1,
      account: alice.accountId,
      x25519: new Uint8Array(32),
      created: Date.now(),
    })
    const bobSeal = await sealOne(bob, 'key', cidOf(forged))
    const other = await createAnnouncement({ signer: alice, created: Date.now() + 1 })
    const future = await createAnnouncement({ signer: alice, created: Date.now() + 3_600_000 })
    const cases: [unknown, number, string][] = [
      [{ bytes: Buffer.from(forged).toString('base64'), seal: sealToJson(bobSeal) }, 400, 'ERR_BAD_SIGNATURE'],
      [{ ...wire(signed), seal: sealToJson(other.seal) }, 400, 'ERR_BAD_SIGNATURE'],
      [{ ...wire(signed), bytes: 'not base64!' }, 400, 'ERR_INVALID_INPUT'],
      [{ ...wire(signed), bytes: Buffer.from([1, 2, 3]).toString('base64') }, 400, 'ERR_NON_CANONICAL'],
      [{ bytes: wire(signed).bytes }, 400, 'ERR_INVALID_INPUT'],
      [{ ...wire(signed), extra: 1 }, 400, 'ERR_INVALID_INPUT'],
      [wire(future), 400, 'ERR_INVALID_INPUT'],
    ]
    for (const [body, status, code] of cases) {
      const res = await put(body)
      assert.equal(res.statusCode, status, res.body)
      assert.equal(res.json().code, code, res.body)
    }
  })

  it('answers 404 for an account with no key and 400 for a bad address', async () => {
    const nobody = createAccount({ uri: '//Nobody' })
    const missing = await cls.app.inject(`/v1/keys/${nobody.address}`)
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'ERR_NOT_FOUND')
    const bad = await cls.app.inject('/v1/keys/xyz')
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().code, 'ERR_INVALID_ADDRESS')
  })

  it('keeps announcements across a restart (stored durably in its data folder)', async () => {
    const before = (await cls.app.inject(`/v1/keys/${bob.address}`)).json()
    await cls.close()
    cls = await net.startCls({ dataDir: `${net.dir}/keys-cls` })
    const after = await cls.app.inject(`/v1/keys/${bob.address}`)
    assert.equal(after.statusCode, 200)
    assert.deepEqual(after.json(), before)
  })
})
