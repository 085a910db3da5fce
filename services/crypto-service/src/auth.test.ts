import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { describe, it, mock } from 'node:test'
import { errorFromJson } from '@ddc/core'
import { event, fixture, TOKENS } from './_fixture.js'
import { secretsEqual, tokenDigest } from './auth.js'
import { ForbiddenError } from './errors.js'

describe('token comparison', () => {
  it('compares SHA-256 digests of both sides with timingSafeEqual, whatever their lengths', (t) => {
    const spy = t.mock.method(crypto, 'timingSafeEqual')
    assert.equal(secretsEqual('a-short-guess', TOKENS.admin), false)
    assert.equal(secretsEqual(TOKENS.admin, TOKENS.admin), true)
    assert.equal(secretsEqual('', 'x'.repeat(1000)), false)
    assert.equal(spy.mock.callCount(), 3)
    for (const call of spy.mock.calls) {
      const [a, b] = call.arguments as [Buffer, Buffer]
      assert.equal(a.length, 32)
      assert.equal(b.length, 32)
    }
    assert.deepEqual(spy.mock.calls[1]!.arguments[0], tokenDigest(TOKENS.admin))
  })

  it('checks a presented token against every configured token (no early exit)', async (t) => {
    const { call } = await fixture()
    const spy = t.mock.method(crypto, 'timingSafeEqual')
    assert.equal((await call('GET', '/v1/account', undefined, TOKENS.admin)).status, 200) // the first of three
    assert.equal(spy.mock.callCount(), 3)
    assert.equal((await call('GET', '/v1/account', undefined, 'wrong-token-of-some-length')).status, 401)
    assert.equal(spy.mock.callCount(), 6)
    mock.restoreAll()
  })
})

describe('API tokens', () => {
  it('lets /health, /docs and /openapi.json through, and answers 401 everywhere else without a valid token', async () => {
    const { call, bob } = await fixture()
    for (const url of ['/health', '/openapi.json', '/docs/', '/docs/json', '/docs/static/swagger-ui.css']) {
      const res = await call('GET', url, undefined, null)
      assert.equal(res.status, 200, url)
    }
    const attempts: [string, string | null, Record<string, string>?][] = [
      ['no header', null],
      ['wrong token', 'admin-7f3a9c1e5b2d8f4a6c0f'],
      ['prefix of a token', TOKENS.admin.slice(0, -1)],
      ['token plus a character', `${TOKENS.admin}x`],
    ]
    for (const [what, token] of attempts) {
      for (const [method, url, body] of [
        ['POST', '/v1/encrypt', event(bob.address)],
        ['GET', '/v1/account', undefined],
        ['GET', '/metrics', undefined],
        ['GET', '/no-such-route', undefined],
      ] as const) {
        const res = await call(method, url, body, token)
        assert.equal(res.status, 401, `${what}: ${method} ${url}`)
        assert.equal(res.body.code, 'ERR_UNAUTHORIZED')
        assert.equal(res.headers['www-authenticate'], 'Bearer')
        if (token) assert.ok(!JSON.stringify(res.body).includes(token), 'the token is never echoed')
      }
    }
    const { app } = await fixture()
    for (const authorization of [`Basic ${TOKENS.admin}`, `Bearer`, `Bearer ${TOKENS.admin} extra`, TOKENS.admin]) {
      const res = await app.inject({ url: '/v1/account', headers: { authorization } })
      assert.equal(res.statusCode, 401, authorization.replace(TOKENS.admin, '<token>'))
      assert.match(res.json().message, /Bearer <token>/)
    }
    assert.equal(
      (await app.inject({ url: '/v1/account', headers: { authorization: `bearer ${TOKENS.admin}` } })).statusCode,
      200,
    )
    assert.equal(
      (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKENS.admin}` } })).statusCode,
      200,
    )
  })

  it('holds a bucket-scoped token to its buckets and an operation-scoped token to its operations (403 ERR_FORBIDDEN)', async () => {
    const { call, bob } = await fixture()
    const own = await call('POST', '/v1/encrypt', event(bob.address), TOKENS.demo)
    assert.equal(own.status, 200)
    const other = await call('POST', '/v1/encrypt', event(bob.address, 'e', 'other-app'), TOKENS.demo)
    assert.equal(other.status, 403)
    assert.equal(other.body.code, 'ERR_FORBIDDEN')
    assert.match(other.body.message, /token 'demo' may not use bucket "other-app"/)
    assert.ok(errorFromJson(other.body) instanceof ForbiddenError, 'clients revive it as ForbiddenError')
    // A bucket it may not use looks the same whether or not the bucket exists here.
    const unknown = await call('POST', '/v1/encrypt', event(bob.address, 'e', 'no-such-bucket'), TOKENS.demo)
    assert.equal(unknown.status, 403)
    const mixed = await call(
      'POST',
      '/v1/encrypt/batch',
      { events: [event(bob.address), event(bob.address, 'e', 'other-app')] },
      TOKENS.demo,
    )
    assert.equal(mixed.status, 403)

    const reader = await call('POST', '/v1/encrypt', event(bob.address), TOKENS.reader)
    assert.equal(reader.status, 403)
    assert.match(reader.body.message, /may not encrypt/)
    const { data: _d, ...meta } = event(bob.address)
    const dec = await call(
      'POST',
      '/v1/decrypt',
      { envelope: { ...meta, enc: own.body.enc, scopes: own.body.scopes, pub: own.body.pub }, body: own.body.body },
      TOKENS.reader,
    )
    assert.equal(dec.status, 200)
    const wrap = await call(
      'POST',
      '/v1/keys/wrap',
      {
        bucket: 'demo-app',
        scope: 'activity',
        grantee: { account: bob.address, x25519: `0x${'01'.repeat(32)}` },
        exp: Date.now() + 60_000,
      },
      TOKENS.reader,
    )
    assert.equal(wrap.status, 403)
    assert.equal(
      (await call('GET', '/v1/account', undefined, TOKENS.reader)).status,
      200,
      'any valid token reads the account',
    )
  })

  it('accepts tokens configured by their SHA-256 only, and refuses unusable token entries at start', async () => {
    const secret = 'kept-out-of-config-files-1234'
    const { call } = await fixture({ tokens: [{ name: 'hashed', sha256: tokenDigest(secret).toString('hex') }] })
    assert.equal((await call('GET', '/v1/account', undefined, secret)).status, 200)
    assert.equal((await call('GET', '/v1/account', undefined, tokenDigest(secret).toString('hex'))).status, 401)
    await assert.rejects(
      fixture({ tokens: [{ name: 'both', token: secret, sha256: tokenDigest(secret).toString('hex') }] }),
      /exactly one of token or sha256/,
    )
    await assert.rejects(fixture({ tokens: [{ name: 'short', token: 'abc' }] }), /too short/)
  })
})
