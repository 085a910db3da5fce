import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidOf, envelopeToJson, fromHex, linkEvents, signEvents, toAccountId, verifyEvent } from '@ddc/core'
import { KeyRing, STANDARD_MODULE_ID, standardModule } from '@ddc/crypto'
import { DATA, event, fixture } from './_fixture.js'

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))

describe('encrypt and decrypt over HTTP', () => {
  it('round-trips an event: /v1/encrypt seals it, /v1/decrypt opens every scope', async () => {
    const { call, bob } = await fixture()
    const enc = await call('POST', '/v1/encrypt', event(bob.address))
    assert.equal(enc.status, 200)
    assert.equal(enc.body.enc, STANDARD_MODULE_ID)
    assert.deepEqual(Object.keys(enc.body.scopes).sort(), ['activity', 'profile'])
    assert.equal(enc.body.scopes.profile.epoch, 1, 'the configured epoch is used')
    assert.equal(enc.body.scopes.activity.epoch, 0)
    assert.deepEqual(enc.body.pub, { ctx: { lang: 'en' } })
    assert.equal(enc.body.bodyCid, cidOf(b64(enc.body.body)).toString())
    assert.ok(!enc.body.body.includes('bob@example.com'))

    const { data: _data, ...meta } = event(bob.address)
    const envelope = { ...meta, enc: enc.body.enc, scopes: enc.body.scopes, pub: enc.body.pub, body: enc.body.bodyCid }
    const dec = await call('POST', '/v1/decrypt', { envelope, body: enc.body.body })
    assert.equal(dec.status, 200)
    assert.deepEqual(dec.body, { data: DATA, opened: ['activity', 'profile'], locked: [] })
  })

  it('speaks the library wire format: a signed envelope built from the parts opens with @ddc/crypto directly', async () => {
    const { call, bob, master } = await fixture()
    const enc = (await call('POST', '/v1/encrypt', event(bob.address))).body
    const body = b64(enc.body)
    const [draft] = linkEvents(null, [
      {
        bucket: 'demo-app',
        owner: bob.accountId,
        id: 'evt-1',
        type: 'page_view',
        ts: Date.now(),
        pub: enc.pub,
        enc: enc.enc,
        scopes: enc.scopes,
        body: cidOf(body),
      },
    ])
    const [signed] = await signEvents(bob, [draft!])
    verifyEvent(signed!)
    const keys = new KeyRing({ keys: [{ level: 'master', key: master }] })
    const read = await standardModule().decrypt(signed!.envelope, body, keys)
    assert.deepEqual(read.data, DATA)
    // …and the service reads the envelope JSON view the SDK and viewer use.
    const dec = await call('POST', '/v1/decrypt', { envelope: envelopeToJson(signed!.envelope), body: enc.body })
    assert.equal(dec.status, 200, JSON.stringify(dec.body))
    assert.deepEqual(dec.body.data, DATA)
  })

  it('opens events the library sealed, and keeps them apart per bucket', async () => {
    const { call, bob, master } = await fixture()
    const module = standardModule({ scopes: { '*': { scopes: { secret: ['x'] }, unmapped: 'public' } } })
    const keys = new KeyRing({ keys: [{ level: 'master', key: master }] })
    const meta = { bucket: 'demo-app', owner: bob.accountId, id: 'lib-1', type: 'note' }
    const { body, ...parts } = await module.encrypt({ ...meta, data: { x: 42, y: 'open' } }, keys)
    const envelope = { ...meta, owner: bob.address, ...parts }
    const dec = await call('POST', '/v1/decrypt', { envelope, body: Buffer.from(body).toString('base64') })
    assert.deepEqual(dec.body, { data: { x: 42, y: 'open' }, opened: ['secret'], locked: [] })
    // The same ciphertext under another bucket's keys: the AD and the key both differ.
    const moved = await call('POST', '/v1/decrypt', {
      envelope: { ...envelope, bucket: 'other-app' },
      body: Buffer.from(body).toString('base64'),
    })
    assert.deepEqual(moved.body.locked, [{ scope: 'secret', reason: 'no-key' }])
  })

  it('seals a batch in order, and names the item that fails', async () => {
    const { call, bob, charlie } = await fixture()
    const events = [event(bob.address, 'a'), event(charlie.address, 'b'), event(bob.address, 'c', 'other-app')]
    const res = await call('POST', '/v1/encrypt/batch', { events })
    assert.equal(res.status, 200)
    assert.equal(res.body.events.length, 3)
    for (const [i, sealed] of res.body.events.entries()) {
      const { data: _d, ...meta } = events[i]!
      const dec = await call('POST', '/v1/decrypt', {
        envelope: { ...meta, enc: sealed.enc, scopes: sealed.scopes, pub: sealed.pub, body: sealed.bodyCid },
        body: sealed.body,
      })
      assert.deepEqual(dec.body.data, DATA)
    }
    const bad = await call('POST', '/v1/encrypt/batch', {
      events: [event(bob.address), { ...event(bob.address), type: 'unknown_type' }],
    })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.details.index, 1)
    assert.match(bad.body.message, /^events\[1\]: /)
  })

  it('reports a tampered body as a locked scope (bad-ciphertext), and a body that misses its CID as ERR_CID_MISMATCH', async () => {
    const { call, bob } = await fixture()
    const enc = (await call('POST', '/v1/encrypt', event(bob.address))).body
    const tampered = b64(enc.body)
    tampered[tampered.length - 3]! ^= 1 // inside the last scope's ciphertext (activity: sorted last by length)
    const { data: _d, ...meta } = event(bob.address)
    const envelope = { ...meta, enc: enc.enc, scopes: enc.scopes, pub: enc.pub }
    const body = Buffer.from(tampered).toString('base64')
    const dec = await call('POST', '/v1/decrypt', { envelope, body })
    assert.equal(dec.status, 200)
    assert.deepEqual(dec.body.opened, ['profile'])
    assert.deepEqual(dec.body.locked, [{ scope: 'activity', reason: 'bad-ciphertext' }])
    assert.equal(dec.body.data.page, undefined)
    assert.equal(dec.body.data.email, 'bob@example.com')

    const checked = await call('POST', '/v1/decrypt', { envelope: { ...envelope, body: enc.bodyCid }, body })
    assert.equal(checked.status, 400)
    assert.equal(checked.body.code, 'ERR_CID_MISMATCH')
  })

  it('refuses bad input with stable codes', async () => {
    const { call, bob } = await fixture({ maxBatch: 2, bodyLimit: 8 * 1024 })
    const enc = (await call('POST', '/v1/encrypt', event(bob.address))).body
    const { data: _d, ...meta } = event(bob.address)
    const envelope = { ...meta, enc: enc.enc, scopes: enc.scopes, pub: enc.pub }
    const cases: [string, unknown, number, string, RegExp?][] = [
      ['/v1/encrypt', { ...event(bob.address), bucket: 'nope' }, 404, 'ERR_NOT_FOUND', /not configured/],
      ['/v1/decrypt', { envelope: { ...envelope, bucket: 'nope' }, body: enc.body }, 404, 'ERR_NOT_FOUND'],
      ['/v1/encrypt', { ...event(bob.address), owner: 'not-an-address' }, 400, 'ERR_INVALID_ADDRESS'],
      ['/v1/encrypt', { ...event(bob.address), id: 'spaces are not allowed' }, 400, 'ERR_INVALID_INPUT'],
      ['/v1/encrypt', { ...event(bob.address), type: 'no_rule' }, 400, 'ERR_INVALID_INPUT', /no_rule/],
      ['/v1/encrypt', { ...event(bob.address), extra: 1 }, 400, 'ERR_INVALID_INPUT'],
      ['/v1/decrypt', { envelope, body: 'not base64!' }, 400, 'ERR_INVALID_INPUT'],
      ['/v1/decrypt', { envelope, body: 'abc' }, 400, 'ERR_INVALID_INPUT', /base64/],
      ['/v1/decrypt', { envelope, body: 'AB==' }, 400, 'ERR_INVALID_INPUT', /base64/], // stray bits: not canonical
      [
        '/v1/decrypt',
        { envelope: { ...envelope, enc: 'rot13-v1' }, body: enc.body },
        400,
        'ERR_UNSUPPORTED_VERSION',
        /rot13-v1.*known: xchacha20poly1305-blake2b-v1/,
      ],
      ['/v1/decrypt', { envelope: { ...envelope, enc: undefined }, body: enc.body }, 400, 'ERR_INVALID_INPUT', /enc/],
      ['/v1/decrypt', { envelope: { ...envelope, body: 'bafy-nonsense' }, body: enc.body }, 400, 'ERR_CID_MISMATCH'],
      ['/v1/encrypt/batch', { events: [] }, 400, 'ERR_INVALID_INPUT'],
      [
        '/v1/encrypt/batch',
        { events: [1, 2, 3].map((i) => event(bob.address, `e${i}`)) },
        400,
        'ERR_INVALID_INPUT',
        /2 items/,
      ],
      ['/v1/encrypt', { ...event(bob.address), data: { email: 'x'.repeat(10_000) } }, 413, 'ERR_TOO_LARGE'],
    ]
    for (const [url, payload, status, code, message] of cases) {
      const res = await call('POST', url, payload)
      assert.equal(res.status, status, `${url} ${JSON.stringify(payload).slice(0, 120)} → ${JSON.stringify(res.body)}`)
      assert.equal(res.body.code, code)
      if (message) assert.match(res.body.message, message)
    }
  })

  it('encrypts only buckets with a scope map, and only for owners it holds keys for', async () => {
    const { call, bob, charlie } = await fixture({
      buckets: {
        'keys-only': { masterKey: `0x${'11'.repeat(32)}` },
        'bob-only': {
          scopes: { '*': { scopes: { all: ['x'] }, unmapped: 'error' } },
          userKeys: [
            {
              scope: 'all',
              epoch: 0,
              owner: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
              key: `0x${'22'.repeat(32)}`,
            },
          ],
        },
      },
    })
    const noMap = await call('POST', '/v1/encrypt', { ...event(bob.address, 'e', 'keys-only') })
    assert.equal(noMap.status, 400)
    assert.match(noMap.body.message, /no scope map/)
    const ok = await call('POST', '/v1/encrypt', {
      bucket: 'bob-only',
      owner: bob.address,
      id: 'e',
      type: 't',
      data: { x: 1 },
    })
    assert.equal(ok.status, 200)
    const other = await call('POST', '/v1/encrypt', {
      bucket: 'bob-only',
      owner: charlie.address,
      id: 'e',
      type: 't',
      data: { x: 1 },
    })
    assert.equal(other.status, 400)
    assert.equal(other.body.code, 'ERR_MISSING_KEY')
    assert.deepEqual(toAccountId(bob.address), fromHex(`0x${Buffer.from(bob.accountId).toString('hex')}`))
  })

  it('handles events up to the body limit (megabytes of base64)', async () => {
    const { call, bob } = await fixture()
    const page = 'p'.repeat(1_500_000)
    const enc = await call('POST', '/v1/encrypt', { ...event(bob.address), data: { ...DATA, page } })
    assert.equal(enc.status, 200)
    assert.ok(enc.body.body.length > 2_000_000)
    const { data: _d, ...meta } = event(bob.address)
    const envelope = { ...meta, enc: enc.body.enc, scopes: enc.body.scopes, pub: enc.body.pub, body: enc.body.bodyCid }
    const dec = await call('POST', '/v1/decrypt', { envelope, body: enc.body.body })
    assert.equal(dec.status, 200)
    assert.equal(dec.body.data.page, page)
    const stray = await call('POST', '/v1/decrypt', { envelope, body: `${enc.body.body.slice(0, -4)}!!!!` })
    assert.equal(stray.body.code, 'ERR_INVALID_INPUT')
  })

  it('writes bytes inside decrypted data in their DAG-JSON form', async () => {
    const { call, bob, master } = await fixture()
    const module = standardModule({ scopes: { '*': { scopes: { s: ['blob'] }, unmapped: 'public' } } })
    const keys = new KeyRing({ keys: [{ level: 'master', key: master }] })
    const meta = { bucket: 'demo-app', owner: bob.accountId, id: 'bytes-1', type: 'raw' }
    const { body, ...parts } = await module.encrypt({ ...meta, data: { blob: new Uint8Array([1, 2, 3]) } }, keys)
    const dec = await call('POST', '/v1/decrypt', {
      envelope: { ...meta, owner: bob.address, ...parts },
      body: Buffer.from(body).toString('base64'),
    })
    assert.deepEqual(dec.body.data, { blob: { '/': { bytes: 'AQID' } } })
  })
})

describe('OpenAPI', () => {
  it('lists every route with tags, summaries and the bearer scheme, and serves Swagger UI', async () => {
    const { app } = await fixture()
    const doc = (await app.inject('/openapi.json')).json()
    const routes = ['/v1/encrypt', '/v1/encrypt/batch', '/v1/decrypt', '/v1/keys/wrap', '/v1/keys/rewrap']
    for (const path of routes) {
      const op = doc.paths[path]?.post
      assert.ok(op, `${path} is documented`)
      assert.ok(op.summary && op.tags.length > 0, `${path} has a summary and tags`)
      assert.deepEqual(op.security, [{ bearerAuth: [] }])
      assert.ok(op.requestBody.content['application/json'].schema, `${path} has a request schema`)
      assert.ok(op.responses['200'] && op.responses['401'], `${path} documents 200 and 401`)
    }
    assert.ok(doc.paths['/v1/account'].get)
    assert.ok(doc.paths['/health'].get)
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' })
    for (const s of ['Seal', 'SignedGrant', 'EncryptedEvent', 'Decrypted', 'Account', 'Error'])
      assert.ok(doc.components.schemas[s], s)
    assert.equal((await app.inject('/docs/')).statusCode, 200)
  })
})
