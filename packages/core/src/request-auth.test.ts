import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  createAccount,
  cryptoReady,
  issueCapability,
  type LocalSigner,
  REQUEST_HEADERS,
  RequestVerifier,
  signRequest,
  utf8,
} from './index.js'

let alice: LocalSigner
let bob: LocalSigner
const T0 = 1_700_000_000_000

before(async () => {
  await cryptoReady()
  alice = createAccount({ uri: '//Alice' })
  bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
})

describe('signed requests', () => {
  it('verifies a signed request and names its account and capability', async () => {
    const cap = await issueCapability(alice, { aud: bob.accountId, bucket: 'b', ops: ['read'], exp: T0 + 1 })
    const body = utf8('{"a":1}')
    const headers = await signRequest(bob, {
      method: 'post',
      url: 'http://node:8080/x/y?z=1',
      body,
      now: T0,
      capability: [cap],
    })
    const v = new RequestVerifier({ now: () => T0 + 1000 })
    const out = v.verify({ method: 'POST', url: '/x/y?z=1', headers, body })
    assert.deepEqual(out.account, bob.accountId)
    assert.equal(out.capability?.[0]?.cid.toString(), cap.cid.toString())
  })

  it('refuses a replay, a stale or future timestamp, and any change to what was signed', async () => {
    const headers = await signRequest(alice, { method: 'GET', url: '/a?b=1', now: T0 })
    const v = new RequestVerifier({ now: () => T0 })
    v.verify({ method: 'GET', url: '/a?b=1', headers })
    assert.throws(() => v.verify({ method: 'GET', url: '/a?b=1', headers }), { code: 'ERR_REPLAY' })
    const late = new RequestVerifier({ now: () => T0 + 5 * 60_000 + 1 })
    assert.throws(() => late.verify({ method: 'GET', url: '/a?b=1', headers }), { code: 'ERR_REPLAY' })
    const early = new RequestVerifier({ now: () => T0 - 5 * 60_000 - 1 })
    assert.throws(() => early.verify({ method: 'GET', url: '/a?b=1', headers }), { code: 'ERR_REPLAY' })
    const fresh = () => new RequestVerifier({ now: () => T0 })
    assert.throws(() => fresh().verify({ method: 'GET', url: '/a?b=2', headers }), { code: 'ERR_UNAUTHORIZED' })
    assert.throws(() => fresh().verify({ method: 'DELETE', url: '/a?b=1', headers }), { code: 'ERR_UNAUTHORIZED' })
    assert.throws(() => fresh().verify({ method: 'GET', url: '/a?b=1', headers, body: utf8('x') }), {
      code: 'ERR_UNAUTHORIZED',
    })
    const otherAccount = { ...headers, [REQUEST_HEADERS.account]: bob.address }
    assert.throws(() => fresh().verify({ method: 'GET', url: '/a?b=1', headers: otherAccount }), {
      code: 'ERR_UNAUTHORIZED',
    })
    const wrongScheme = {
      ...headers,
      [REQUEST_HEADERS.signature]: headers[REQUEST_HEADERS.signature]!.replace('sr25519', 'ed25519'),
    }
    assert.throws(() => fresh().verify({ method: 'GET', url: '/a?b=1', headers: wrongScheme }), {
      code: 'ERR_UNAUTHORIZED',
    })
  })

  it('refuses missing and malformed headers with stable codes', async () => {
    const headers = await signRequest(alice, { method: 'GET', url: '/a', now: T0 })
    const v = new RequestVerifier({ now: () => T0 })
    const { [REQUEST_HEADERS.nonce]: _n, ...noNonce } = headers
    assert.throws(() => v.verify({ method: 'GET', url: '/a', headers: noNonce }), { code: 'ERR_UNAUTHORIZED' })
    for (const [k, bad, code] of [
      [REQUEST_HEADERS.timestamp, 'soon', 'ERR_INVALID_INPUT'],
      [REQUEST_HEADERS.nonce, 'x', 'ERR_INVALID_INPUT'],
      [REQUEST_HEADERS.signature, 'rsa:AAAA', 'ERR_INVALID_INPUT'],
      [REQUEST_HEADERS.signature, 'sr25519:AAAA', 'ERR_INVALID_INPUT'],
      [REQUEST_HEADERS.account, 'not-an-address', 'ERR_INVALID_ADDRESS'],
      [REQUEST_HEADERS.capability, 'AAAA', 'ERR_NON_CANONICAL'],
    ] as const) {
      assert.throws(() => v.verify({ method: 'GET', url: '/a', headers: { ...headers, [k]: bad } }), { code }, k)
    }
  })

  it('keeps the replay cache bounded and refuses what it can no longer vouch for', async () => {
    let now = T0
    const v = new RequestVerifier({ now: () => now, maxNonces: 3 })
    const signed: Record<string, string>[] = []
    for (let i = 0; i < 5; i++) signed.push(await signRequest(alice, { method: 'GET', url: '/a', now: T0 + i }))
    for (const headers of signed) v.verify({ method: 'GET', url: '/a', headers })
    // The two oldest nonces were dropped; their timestamps are now below the floor.
    assert.throws(() => v.verify({ method: 'GET', url: '/a', headers: signed[0]! }), { code: 'ERR_REPLAY' })
    assert.throws(() => v.verify({ method: 'GET', url: '/a', headers: signed[4]! }), { code: 'ERR_REPLAY' })
    now = T0 + 10
    v.verify({ method: 'GET', url: '/a', headers: await signRequest(alice, { method: 'GET', url: '/a', now }) })
  })
})
