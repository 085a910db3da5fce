import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import * as dagCbor from '@ipld/dag-cbor'
import { cidOf, decodeCanonical, encodeCanonical, RAW } from './index.js'

/** The previous definition of canonical form, kept as the oracle: decode, re-encode, compare. */
function byReencoding(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    const value = dagCbor.decode(bytes)
    const again = dagCbor.encode(value)
    return again.length === bytes.length && again.every((x, k) => x === bytes[k]) ? { ok: true, value } : { ok: false }
  } catch {
    return { ok: false }
  }
}

function oneP(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; code: string } {
  try {
    return { ok: true, value: decodeCanonical(bytes) }
  } catch (err) {
    return { ok: false, code: (err as { code: string }).code }
  }
}

/** Same outcome as the oracle, and the same value when both accept. */
function agrees(bytes: Uint8Array): void {
  const want = byReencoding(bytes)
  const got = oneP(bytes)
  const hex = Buffer.from(bytes).toString('hex')
  assert.equal(got.ok, want.ok, `${hex}: one-pass ${got.ok ? 'accepts' : 'refuses'}, re-encoding does not`)
  if (got.ok && want.ok) assert.deepEqual(got.value, want.value, hex)
  if (!got.ok) assert.equal(got.code, 'ERR_NON_CANONICAL', hex)
}

/** Random cases per property; raise for a long soak: DDC_CANON_ROUNDS=200000 DDC_CANON_SEED=7. */
const ROUNDS = Number(process.env.DDC_CANON_ROUNDS ?? 1000)
const SEED = Number(process.env.DDC_CANON_SEED ?? 1)

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/ /g, ''), 'hex'))

/** Seeded numbers in [0, 1) from SHA-256 of (seed, counter), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let k = 0
  return () => createHash('sha256').update(`${seed}:${k++}`).digest().readUInt32BE(0) / 2 ** 32
}

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 8 : 11))
  const ints = [0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]
  switch (pick) {
    case 0:
      return ints[Math.floor(r() * ints.length)]! * (r() < 0.3 ? -1 : 1)
    case 1:
      return r() < 0.5 ? 2n ** 63n + BigInt(Math.floor(r() * 1000)) : -(2n ** 60n) - BigInt(Math.floor(r() * 1000))
    case 2:
      return [0.5, -1.25, 1e300, Math.PI, 2 ** 60 + 0.5][Math.floor(r() * 5)]
    case 3:
      return ['', 'a', 'é', '€uro', 'x'.repeat(40), 'ünï'.repeat(20), '__proto__', 'bytes'][Math.floor(r() * 8)]
    case 4:
      return new Uint8Array(Math.floor(r() * 40)).map(() => Math.floor(r() * 256))
    case 5:
      return [true, false, null][Math.floor(r() * 3)]
    case 6:
      return cidOf(new Uint8Array([Math.floor(r() * 256)]), r() < 0.5 ? RAW : undefined)
    case 7:
      return Math.floor(r() * 1e9)
    case 8:
    case 9: {
      const obj: Record<string, unknown> = {}
      const n = Math.floor(r() * 5)
      for (let k = 0; k < n; k++)
        obj[['a', 'b', 'aa', 'ab', 'zz', '/', 'bytes', 'é'][Math.floor(r() * 8)]!] = randomValue(r, depth + 1)
      return obj
    }
    default:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1))
  }
}

/** The encoding of a random value (skipping the rare map the encoder mistakes for a CID link). */
function randomBlock(r: () => number): Uint8Array {
  for (;;) {
    try {
      return dagCbor.encode(randomValue(r))
    } catch {}
  }
}

/** Byte-level mutations that tend to produce near-canonical encodings. */
function mutate(r: () => number, b: Uint8Array): Uint8Array {
  const out = [...b]
  const at = Math.floor(r() * out.length)
  switch (Math.floor(r() * 6)) {
    case 0:
      out[at] = Math.floor(r() * 256)
      break
    case 1:
      out[at] = out[at]! ^ (1 << Math.floor(r() * 8))
      break
    case 2:
      out.splice(at, 1)
      break
    case 3:
      out.splice(at, 0, Math.floor(r() * 256))
      break
    case 4:
      // Widen a head: same major type, one more byte of argument.
      if (out[at]! % 32 < 24) out.splice(at, 1, (out[at]! & 0xe0) | 24, out[at]! % 32)
      break
    default:
      out.push(Math.floor(r() * 256))
  }
  return new Uint8Array(out)
}

describe('one-pass canonical DAG-CBOR decoding', () => {
  it('accepts what the encoder writes and returns the same value as @ipld/dag-cbor', () => {
    const r = rng(SEED)
    for (let k = 0; k < ROUNDS / 8; k++) {
      const bytes = randomBlock(r)
      assert.deepEqual(decodeCanonical(bytes), dagCbor.decode(bytes))
      agrees(bytes)
    }
  })

  it('refuses exactly what decode-then-re-encode refused, on random mutations', () => {
    const r = rng(SEED + 1)
    for (let k = 0; k < ROUNDS; k++) {
      const once = mutate(r, randomBlock(r))
      agrees(k % 3 === 0 ? mutate(r, once) : once)
    }
  })

  it('agrees with re-encoding on random short byte strings', () => {
    const r = rng(SEED + 2)
    for (let k = 0; k < ROUNDS; k++) agrees(new Uint8Array(1 + Math.floor(r() * 10)).map(() => Math.floor(r() * 256)))
  })

  it('refuses non-minimal integers and lengths', () => {
    for (const h of [
      '18 01',
      '19 00 ff',
      '1a 00 00 ff ff',
      '1b 00 00 00 00 ff ff ff ff',
      '38 00',
      '58 01 aa',
      '78 01 61',
      '98 01 01',
      'b8 01 61 61 01',
    ])
      agrees(hex(h))
  })

  it('refuses unsorted and repeated map keys (length first, then bytewise)', () => {
    agrees(hex('a2 61 62 01 61 61 02')) // {b, a}
    agrees(hex('a2 62 61 61 01 61 62 02')) // {aa, b}: longer key first
    agrees(hex('a2 61 61 01 61 61 02')) // {a, a}
    agrees(hex('a2 61 61 01 62 61 61 02')) // {a, aa}: canonical
    assert.deepEqual(decodeCanonical(hex('a2 61 61 01 62 61 61 02')), { a: 1, aa: 2 })
  })

  it('refuses indefinite lengths, undefined, other simple values and stray breaks', () => {
    for (const h of ['9f 01 ff', 'bf 61 61 01 ff', '5f 41 00 ff', '7f 61 61 ff', 'f7', 'f0', 'f8 20', 'ff', 'a1 01 02'])
      agrees(hex(h))
  })

  it('refuses floats that are not float64, integral floats, NaN and Infinity', () => {
    for (const h of [
      'f9 3c 00',
      'fa 3f c0 00 00',
      'fb 3f f0 00 00 00 00 00 00',
      'fb 80 00 00 00 00 00 00 00',
      'fb 7f f8 00 00 00 00 00 00',
      'fb 7f f0 00 00 00 00 00 00',
      'fb 3f f8 00 00 00 00 00 00',
    ])
      agrees(hex(h))
    assert.equal(decodeCanonical(hex('fb 3f f8 00 00 00 00 00 00')), 1.5)
  })

  it('refuses trailing bytes, truncation and invalid UTF-8', () => {
    for (const h of [
      '01 00',
      'a1 61 61',
      '62 61',
      '62 c3 28',
      '63 ef bb bf',
      '62 c0 80',
      '63 ed a0 80',
      '5a 00 01 00 00',
    ])
      agrees(hex(h))
  })

  it('refuses tags other than a canonical CID under 42', () => {
    const cid = cidOf(new Uint8Array([1]))
    const good = encodeCanonical({ l: cid })
    agrees(good)
    assert.ok(decodeCanonical<{ l: typeof cid }>(good).l.equals(cid))
    const body = Buffer.from(cid.bytes).toString('hex')
    for (const h of [
      `d8 2b 58 25 00 ${body}`, // tag 43
      `d9 00 2a 58 25 00 ${body}`, // tag 42, non-minimal head
      `d8 2a 58 25 01 ${body}`, // no leading 0x00
      `d8 2a 58 24 ${body}`, // no leading 0x00
      `d8 2a 78 25 00 ${body}`, // text, not bytes
      'd8 2a 41 00', // empty CID
      `d8 2a 58 26 00 ${body} 00`, // trailing byte inside the CID
      'c0 60', // tag 0
    ])
      agrees(hex(h))
  })

  it('keeps "__proto__" as an own key, as @ipld/dag-cbor does', () => {
    const bytes = dagCbor.encode({ ['__proto__']: 1, a: 2 } as Record<string, number>)
    agrees(bytes)
    assert.equal(Object.getPrototypeOf(decodeCanonical(bytes)), Object.prototype)
  })

  it('returns bytes and CIDs that do not alias the input', () => {
    const input = encodeCanonical({ b: new Uint8Array([1, 2, 3]), c: cidOf(new Uint8Array([9])) })
    const v = decodeCanonical<{ b: Uint8Array; c: { bytes: Uint8Array } }>(input)
    assert.notEqual(v.b.buffer, input.buffer)
    assert.notEqual(v.c.bytes.buffer, input.buffer)
    assert.equal(v.b.constructor, Uint8Array)
  })
})
