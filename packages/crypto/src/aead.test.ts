import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { cryptoReady, frame, u32be, utf8 } from '@ddc/core'
import { adWriter, openScope, sealScope } from './aead.js'

const owner = new Uint8Array(32).fill(5)
const ev = { bucket: 'app-1', owner, id: 'ev-1', type: 'page_view' }
const key = new Uint8Array(32).fill(1)
const nonce = new Uint8Array(24).fill(2)

describe('scope AEAD', () => {
  before(cryptoReady)

  it('frames the associated data as documented', () => {
    const ad = adWriter('xchacha20poly1305-blake2b-v1')(ev, 'profile', 3)
    const expected = frame(
      ...['ddc:v1:scope-ad', 'xchacha20poly1305-blake2b-v1', 'app-1'].map(utf8),
      owner,
      ...['ev-1', 'page_view', 'profile'].map(utf8),
      u32be(3),
    )
    assert.deepEqual(ad, expected)
  })

  it('binds the ciphertext to the module id as well as to the event', () => {
    const ad = adWriter('module-a')(ev, 'profile', 0).slice()
    const ct = sealScope(key, utf8('secret'), ad, nonce)
    const sealed = new Uint8Array([...nonce, ...ct])
    assert.deepEqual(openScope(key, sealed, ad), utf8('secret'))
    assert.equal(openScope(key, sealed, adWriter('module-b')(ev, 'profile', 0)), undefined)
    assert.equal(openScope(key, sealed, adWriter('module-a')({ ...ev, id: 'ev-2' }, 'profile', 0)), undefined)
    assert.equal(openScope(new Uint8Array(32), sealed, ad), undefined)
    assert.equal(openScope(key, sealed.subarray(0, 39), ad), undefined)
  })

  it('keeps names unambiguous: moving bytes between framed fields changes the AD', () => {
    const write = adWriter('m')
    const a = write({ ...ev, id: 'ab', type: 'c' }, 's', 0).slice()
    const b = write({ ...ev, id: 'a', type: 'bc' }, 's', 0).slice()
    assert.notDeepEqual(a, b)
  })
})
