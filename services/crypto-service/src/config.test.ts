import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { cryptoReady, toAccountId, toHex } from '@ddc/core'
import { generateMasterKey } from '@ddc/crypto'
import { loadConfig } from '@ddc/service'
import { CryptoServiceConfig } from './config.js'
import { createKeystore } from './keystore.js'

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'

describe('configuration', () => {
  it('reads a file, then DDC_CRYPTO_* variables over it, with defaults for the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddc-crypto-'))
    try {
      const file = join(dir, 'crypto.json')
      writeFileSync(
        file,
        JSON.stringify({ port: 9000, buckets: { a: { masterKey: toHex(generateMasterKey()) } }, maxBatch: 5 }),
      )
      const c = loadConfig(CryptoServiceConfig, {
        envPrefix: 'DDC_CRYPTO',
        env: {
          DDC_CRYPTO_CONFIG: file,
          DDC_CRYPTO_PORT: '9100',
          DDC_CRYPTO_ACCOUNT_URI: '//CryptoService',
          DDC_CRYPTO_TOKENS: '[{"name":"app","token":"0123456789abcdef","buckets":["a"],"ops":["encrypt"]}]',
          DDC_CRYPTO_TRUSTED_GRANTORS: `["${BOB}"]`,
        },
      })
      assert.equal(c.host, '127.0.0.1')
      assert.equal(c.port, 9100)
      assert.equal(c.maxBatch, 5)
      assert.equal(c.bodyLimit, 4 * 1024 * 1024)
      assert.equal(c.maxGrantTtlMs, 30 * 86_400_000)
      assert.equal(c.ss58Prefix, 42)
      assert.equal(c.accountScheme, 'sr25519')
      assert.equal(c.logLevel, 'info')
      assert.deepEqual(Object.keys(c.buckets), ['a'])
      assert.deepEqual(c.tokens[0]!.ops, ['encrypt'])
      assert.deepEqual(c.trustedGrantors, [BOB])
      assert.equal(
        loadConfig(CryptoServiceConfig, { envPrefix: 'DDC_CRYPTO', env: { DDC_CRYPTO_ACCOUNT_URI: '//X' } }).port,
        8790,
      )
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  it('refuses bad key material and names the setting, never the value', async () => {
    await cryptoReady()
    const hex = toHex(generateMasterKey()).slice(2)
    const load = (buckets: unknown) =>
      loadConfig(CryptoServiceConfig, {
        envPrefix: 'DDC_CRYPTO',
        env: { DDC_CRYPTO_ACCOUNT_URI: '//X', DDC_CRYPTO_BUCKETS: JSON.stringify(buckets) },
      })
    const refusals: [() => unknown, RegExp][] = [
      [() => load({ a: { masterKey: hex.slice(2) } }), /DDC_CRYPTO_BUCKETS/],
      [() => load({ a: { masterKey: hex, extra: 1 } }), /DDC_CRYPTO_BUCKETS/],
      [() => load({ a: { bucketKeys: [{ scope: 's', epoch: -1, key: hex }] } }), /DDC_CRYPTO_BUCKETS/],
      // The keystore checks again for callers that skip the schema (createCryptoService in-process).
      [() => createKeystore({ a: { masterKey: `${hex}00` } }), /buckets\.a\.masterKey must be 32 bytes of hex/],
      [
        () => createKeystore({ a: { bucketKeys: [{ scope: 's', epoch: 0, key: 'zz' }] } }),
        /buckets\.a\.bucketKeys\[0\]\.key/,
      ],
      [() => createKeystore({ a: {} }), /buckets\.a holds no key/],
      [
        () => createKeystore({ a: { masterKey: hex, scopes: { t: { scopes: { s: ['x'] }, unmapped: 'no such' } } } }),
        /buckets\.a\.scopes/,
      ],
      [() => createKeystore({ 'bad name': { masterKey: hex } }), /bucket name "bad name"/],
    ]
    for (const [fn, message] of refusals) {
      assert.throws(fn, (err: Error) => {
        assert.match(err.message, message)
        assert.ok(!err.message.includes(hex.slice(4, 60)), `${err.message} quotes the key`)
        return true
      })
    }
  })

  it('derives only downward from the keys a bucket holds', async () => {
    await cryptoReady()
    const keys = createKeystore({
      a: {
        bucketKeys: [{ scope: 'activity', epoch: 2, key: toHex(generateMasterKey()) }],
        userKeys: [{ scope: 'profile', epoch: 0, owner: BOB, key: toHex(generateMasterKey()) }],
        epochs: { activity: 2 },
      },
    })
    const a = keys.bucket('a')
    assert.equal(a.writer, undefined)
    assert.equal(a.grantKey({ scope: 'activity' }).level, 'bucket')
    assert.equal(a.grantKey({ scope: 'activity', owner: new Uint8Array(32) }).level, 'user')
    assert.throws(() => a.grantKey({ scope: 'activity', epoch: 1 }), { code: 'ERR_MISSING_KEY' })
    assert.throws(() => a.grantKey({ scope: 'profile' }), { code: 'ERR_MISSING_KEY' }, 'no bucket key above a user key')
    assert.equal(a.grantKey({ scope: 'profile', owner: toAccountId(BOB) }).level, 'user')
    assert.throws(() => a.grantKey({ scope: 'profile', owner: new Uint8Array(32) }), { code: 'ERR_MISSING_KEY' })
    assert.throws(() => keys.bucket('b'), { code: 'ERR_NOT_FOUND' })
  })
})
