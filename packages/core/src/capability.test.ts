import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  type CapabilityInit,
  type CapabilityUse,
  capabilityToJson,
  createAccount,
  cryptoReady,
  decodeCapabilityChain,
  delegateCapability,
  encodeCanonical,
  encodeCapability,
  encodeCapabilityChain,
  errorFromJson,
  issueCapability,
  type LocalSigner,
  parseCapability,
  type SignedCapability,
  sealOne,
  validateCapabilityChain,
} from './index.js'

const T0 = 1_700_000_000_000
const HOUR = 3_600_000
let owner: LocalSigner
let app: LocalSigner
let worker: LocalSigner
let user: LocalSigner
let other: LocalSigner

before(async () => {
  await cryptoReady()
  owner = createAccount({ uri: '//BucketOwner' })
  app = createAccount({ uri: '//AppServer', scheme: 'ed25519' })
  worker = createAccount({ uri: '//Worker' })
  user = createAccount({ uri: '//User' })
  other = createAccount({ uri: '//Other' })
})

const use = (over: Partial<CapabilityUse> = {}): CapabilityUse => ({
  bucketOwner: owner.accountId,
  actor: app.accountId,
  op: 'append',
  bucket: 'b1',
  timeline: user.accountId,
  now: T0,
  ...over,
})

async function rootToApp(over: Record<string, unknown> = {}): Promise<SignedCapability[]> {
  return [
    await issueCapability(owner, {
      aud: app.address,
      bucket: 'b1',
      ops: ['append', 'read'],
      exp: T0 + HOUR,
      ...over,
    }),
  ]
}

describe('capabilities', () => {
  it('accepts a root issued by the bucket owner to the acting account', async () => {
    const chain = await rootToApp()
    assert.equal(validateCapabilityChain(chain, use()).cid.toString(), chain[0]!.cid.toString())
  })

  it('accepts an attenuated delegation and refuses the delegate outside it', async () => {
    const chain = await delegateCapability(app, await rootToApp(), {
      aud: worker.accountId,
      bucket: 'b1',
      tl: [user.accountId],
      ops: ['append'],
      exp: T0 + HOUR / 2,
    })
    validateCapabilityChain(chain, use({ actor: worker.accountId }))
    assert.throws(() => validateCapabilityChain(chain, use({ actor: worker.accountId, op: 'read' })), {
      code: 'ERR_UNAUTHORIZED',
    })
    assert.throws(() => validateCapabilityChain(chain, use({ actor: worker.accountId, timeline: other.accountId })), {
      code: 'ERR_UNAUTHORIZED',
    })
    assert.throws(() => validateCapabilityChain(chain, use({ actor: worker.accountId, timeline: undefined })), {
      code: 'ERR_UNAUTHORIZED',
    })
  })

  it('refuses a root not issued by the bucket owner', async () => {
    const chain = [await issueCapability(other, { aud: app.address, bucket: 'b1', ops: ['append'], exp: T0 + HOUR })]
    assert.throws(() => validateCapabilityChain(chain, use()), { code: 'ERR_UNAUTHORIZED' })
  })

  it('refuses expired and not-yet-valid capabilities', async () => {
    const chain = await rootToApp({ nbf: T0 - 10, exp: T0 + 10 })
    assert.throws(() => validateCapabilityChain(chain, use({ now: T0 + 10 })), { code: 'ERR_EXPIRED' })
    assert.throws(() => validateCapabilityChain(chain, use({ now: T0 - 11 })), { code: 'ERR_UNAUTHORIZED' })
  })

  it('refuses escalation of ops, timelines, expiry and start', async () => {
    const narrow = await rootToApp({ tl: [user.accountId], nbf: T0 - 1000 })
    const cases: Partial<CapabilityInit>[] = [
      { ops: ['append', 'delete'] },
      { tl: [other.accountId] },
      { tl: undefined },
      { exp: T0 + 2 * HOUR },
      { nbf: T0 - 2000 },
    ]
    for (const c of cases) {
      const chain = await delegateCapability(app, narrow, {
        aud: worker.accountId,
        bucket: 'b1',
        ops: ['append'],
        exp: T0 + HOUR,
        nbf: T0 - 1000,
        tl: [user.accountId],
        ...c,
      })
      assert.throws(() => validateCapabilityChain(chain, use({ actor: worker.accountId })), {
        code: 'ERR_ESCALATION',
      })
    }
  })

  it('refuses broken links: wrong prf, wrong issuer, forged seal, other bucket', async () => {
    const root = await rootToApp()
    // A child signed by someone who is not the parent's audience.
    const notAud = await delegateCapability(app, root, {
      aud: worker.accountId,
      bucket: 'b1',
      ops: ['append'],
      exp: T0 + 1,
    })
    const forgedIss = [...notAud]
    const cap = { ...forgedIss[1]!.capability, iss: other.accountId }
    const enc = encodeCapability(cap)
    forgedIss[1] = { capability: cap, ...enc, seal: await sealOne(other, 'capability', enc.cid) }
    assert.throws(() => validateCapabilityChain(forgedIss, use({ actor: worker.accountId })), {
      code: 'ERR_UNAUTHORIZED',
    })
    // Seal of another object.
    const wrongSeal = [{ ...root[0]!, seal: notAud[1]!.seal }]
    assert.throws(() => validateCapabilityChain(wrongSeal, use()), { code: 'ERR_UNAUTHORIZED' })
    // prf naming something else.
    const other2 = await rootToApp()
    const wrongPrf = [other2[0]!, notAud[1]!]
    assert.throws(() => validateCapabilityChain(wrongPrf, use({ actor: worker.accountId })), {
      code: 'ERR_UNAUTHORIZED',
    })
    assert.throws(() => validateCapabilityChain(root, use({ bucket: 'b2' })), { code: 'ERR_UNAUTHORIZED' })
    assert.throws(() => validateCapabilityChain([], use()), { code: 'ERR_UNAUTHORIZED' })
  })

  it('round-trips the header encoding and refuses malformed ones', async () => {
    const chain = await delegateCapability(app, await rootToApp(), {
      aud: worker.accountId,
      bucket: 'b1',
      ops: ['append'],
      exp: T0 + 1,
    })
    const header = encodeCapabilityChain(chain)
    assert.match(header, /^[A-Za-z0-9_-]+$/)
    const back = decodeCapabilityChain(header)
    assert.deepEqual(
      back.map((c) => c.cid.toString()),
      chain.map((c) => c.cid.toString()),
    )
    validateCapabilityChain(back, use({ actor: worker.accountId, now: T0 }))
    assert.throws(() => decodeCapabilityChain('!!'), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => decodeCapabilityChain(''), { code: 'ERR_NON_CANONICAL' })
    const json = capabilityToJson(chain[1]!)
    assert.equal(json.aud, worker.address)
    assert.equal(json.prf, chain[0]!.cid.toString())
  })

  it('refuses unknown fields, versions and duplicate ops', () => {
    const base = { v: 1, iss: owner.accountId, aud: app.accountId, bucket: 'b1', ops: ['read'], exp: 1, nonce: 'n1' }
    assert.ok(parseCapability(base))
    assert.throws(() => parseCapability({ ...base, v: 2 }), { code: 'ERR_UNSUPPORTED_VERSION' })
    assert.throws(() => parseCapability({ ...base, extra: 1 }), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => parseCapability({ ...base, ops: ['read', 'read'] }), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => parseCapability({ ...base, ops: ['admin'] }), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => parseCapability({ ...base, nbf: 5 }), { code: 'ERR_INVALID_INPUT' })
    assert.ok(encodeCanonical(base))
  })

  it('revives the escalation error by code', () => {
    assert.equal(errorFromJson({ code: 'ERR_ESCALATION', message: 'x' }).code, 'ERR_ESCALATION')
  })
})
