import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeCanonical, NonCanonicalError } from '@ddc/core'
import { decodeBody, encodeBody } from './body.js'

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill)

const samples: Record<string, Uint8Array>[] = [
  {},
  { a: bytes(0) },
  { profile: bytes(23), activity: bytes(24), b: bytes(255), aa: bytes(256), zz: bytes(65_535), ab: bytes(65_536) },
  Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`scope-${i}.x:${'y'.repeat(i)}`, bytes(i * 7, i)])),
  { [`${'s'.repeat(64)}`]: bytes(40) },
]

describe('body block', () => {
  it("writes exactly core's canonical DAG-CBOR for the same map", () => {
    for (const s of samples) assert.deepEqual(encodeBody(s), encodeCanonical(s))
  })

  it('reads back what core encodes', () => {
    for (const s of samples) assert.deepEqual(decodeBody(encodeCanonical(s)), s)
  })

  it('concatenates the parts of a value', () => {
    assert.deepEqual(
      encodeBody({ a: [bytes(2, 1), bytes(3, 2)] }),
      encodeCanonical({ a: new Uint8Array([1, 1, 2, 2, 2]) }),
    )
  })

  it('refuses every non-canonical or foreign shape', () => {
    const bad: [string, Uint8Array][] = [
      ['empty input', new Uint8Array(0)],
      ['not a map', encodeCanonical([1])],
      ['text value', encodeCanonical({ a: 'x' })],
      ['trailing byte', new Uint8Array([...encodeCanonical({ a: bytes(1) }), 0])],
      ['keys out of order', new Uint8Array([0xa2, 0x61, 0x62, 0x40, 0x61, 0x61, 0x40])],
      ['longer key first', new Uint8Array([0xa2, 0x62, 0x61, 0x61, 0x40, 0x61, 0x62, 0x40])],
      ['repeated key', new Uint8Array([0xa2, 0x61, 0x61, 0x40, 0x61, 0x61, 0x40])],
      ['non-minimal map length', new Uint8Array([0xb8, 0x01, 0x61, 0x61, 0x40])],
      ['non-minimal byte length', new Uint8Array([0xa1, 0x61, 0x61, 0x58, 0x01, 0x00])],
      ['indefinite map', new Uint8Array([0xbf, 0x61, 0x61, 0x40, 0xff])],
      ['truncated value', new Uint8Array([0xa1, 0x61, 0x61, 0x45, 0x00])],
      ['key not a scope name', encodeCanonical({ 'a b': bytes(1) })],
    ]
    for (const [what, b] of bad) assert.throws(() => decodeBody(b), NonCanonicalError, what)
  })
})
