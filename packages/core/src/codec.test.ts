import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidOf, decodeCanonical, encodeCanonical, fromDagJson, MAX_BLOCK_BYTES, toDagJson } from './index.js'

const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code

describe('canonical DAG-CBOR', () => {
  it('round-trips values and gives equal values equal bytes whatever the key order', () => {
    const a = encodeCanonical({ b: 1, a: [1, 2, { z: true, y: null }], c: new Uint8Array([1, 2]) })
    const b = encodeCanonical({ c: new Uint8Array([1, 2]), a: [1, 2, { y: null, z: true }], b: 1 })
    assert.deepEqual(a, b)
    assert.deepEqual(decodeCanonical(a), { a: [1, 2, { y: null, z: true }], b: 1, c: new Uint8Array([1, 2]) })
  })

  it('refuses maps whose keys are not in canonical order', () => {
    // {"b": 1, "a": 2} written by hand in the wrong order
    const bytes = new Uint8Array([0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02])
    assert.throws(() => decodeCanonical(bytes), codeOf('ERR_NON_CANONICAL'))
  })

  it('refuses integers that are not minimally encoded', () => {
    // 1 encoded as a one-byte-argument uint (0x18 0x01) instead of 0x01
    assert.throws(() => decodeCanonical(new Uint8Array([0x18, 0x01])), codeOf('ERR_NON_CANONICAL'))
  })

  it('refuses bytes that are not CBOR at all, and trailing garbage', () => {
    assert.throws(() => decodeCanonical(new Uint8Array([0xff, 0x00])), codeOf('ERR_NON_CANONICAL'))
    const ok = encodeCanonical({ a: 1 })
    assert.throws(() => decodeCanonical(new Uint8Array([...ok, 0x00])), codeOf('ERR_NON_CANONICAL'))
  })

  it('refuses oversize input before decoding it', () => {
    assert.throws(() => decodeCanonical(new Uint8Array(MAX_BLOCK_BYTES + 1)), codeOf('ERR_TOO_LARGE'))
    assert.throws(() => decodeCanonical(encodeCanonical({ a: 'x'.repeat(100) }), 50), codeOf('ERR_TOO_LARGE'))
  })

  it('refuses values DAG-CBOR cannot hold (undefined)', () => {
    assert.throws(() => encodeCanonical({ a: undefined }), codeOf('ERR_NON_CANONICAL'))
  })

  it('has a DAG-JSON view that keeps CIDs and bytes', () => {
    const cid = cidOf(new Uint8Array([1]))
    const json = toDagJson({ link: cid, raw: new Uint8Array([0xde, 0xad]) })
    assert.match(json, /"\/":"bafy/)
    const back = fromDagJson<{ link: typeof cid; raw: Uint8Array }>(json)
    assert.ok(back.link.equals(cid))
    assert.deepEqual(back.raw, new Uint8Array([0xde, 0xad]))
  })
})
