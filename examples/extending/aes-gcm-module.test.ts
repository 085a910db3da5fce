import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { createAccount, cryptoReady } from '@ddc/core'
import { decryptEvent, deriveBucketScopeKey, generateMasterKey, KeyRing, standardModule } from '@ddc/crypto'
import { aesGcmModule } from './aes-gcm-module.js'

const scopes = { '*': { scopes: { profile: ['email'], activity: ['page'] }, unmapped: 'public' } }

describe('worked example: a second EncryptionModule (AES-256-GCM)', () => {
  before(cryptoReady)

  it('round-trips beside the standard module, each event opened by the module it names', async () => {
    const alice = createAccount({ uri: '//Alice' })
    const keys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })
    const aes = aesGcmModule({ scopes })
    const std = standardModule({ scopes })
    const event = {
      bucket: 'demo',
      owner: alice.accountId,
      id: 'e1',
      type: 'page.view',
      data: { email: 'a@x.io', page: '/', plan: 'pro' },
    }
    for (const m of [aes, std]) {
      const enc = await m.encrypt(event, keys)
      const out = await decryptEvent([std, aes], { ...event, ...enc }, enc.body, keys)
      assert.deepEqual(out.data, event.data)
      assert.deepEqual(out.opened.sort(), ['activity', 'profile'])
    }
  })

  it('reports a ciphertext moved to another event as locked, and opens only scopes it has keys for', async () => {
    const alice = createAccount({ uri: '//Alice' })
    const master = { level: 'master' as const, key: generateMasterKey() }
    const keys = new KeyRing({ keys: [master] })
    const aes = aesGcmModule({ scopes })
    const event = {
      bucket: 'demo',
      owner: alice.accountId,
      id: 'e1',
      type: 'page.view',
      data: { email: 'a@x.io', page: '/' },
    }
    const enc = await aes.encrypt(event, keys)
    const moved = await aes.decrypt({ ...event, id: 'e2', ...{ enc: enc.enc, scopes: enc.scopes } }, enc.body, keys)
    assert.deepEqual(
      moved.locked.map((l) => l.reason),
      ['bad-ciphertext', 'bad-ciphertext'],
    )
    const partial = new KeyRing({
      keys: [deriveBucketScopeKey(master.key, { bucket: 'demo', scope: 'activity', epoch: 0 })],
    })
    const out = await aes.decrypt({ ...event, ...enc }, enc.body, partial)
    assert.deepEqual(out.opened, ['activity'])
    assert.deepEqual(out.locked, [{ scope: 'profile', reason: 'no-key' }])
  })
})
