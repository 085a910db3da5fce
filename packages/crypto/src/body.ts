/**
 * The body block: canonical DAG-CBOR map scope name → (nonce ‖ ciphertext), stored as its own block
 * and named by CID in `envelope.body`, so deletion can erase it and leave the envelope verifiable.
 *
 * This one fixed shape (a map of ASCII text keys to byte strings) is written and read here directly:
 * going through the generic codec cost more than the three AEAD calls it wraps (bench/bench.ts).
 * body.test.ts checks both directions against core's codec, including every non-canonical variant.
 */
import { InvalidInputError, NonCanonicalError, TooLargeError } from '@ddc/core'
import { scopeName } from './_parse.js'

/** Ceiling for one body block (all scopes of one event). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024
const MAX_ENTRIES = 64

/** DAG-CBOR key order: shorter first, then bytewise (scope names are ASCII, so code units are bytes). */
const keyOrder = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

const headerSize = (n: number): number => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5)

function writeHeader(out: Uint8Array, at: number, major: number, n: number): number {
  const m = major << 5
  if (n < 24) out[at++] = m | n
  else if (n < 0x100) {
    out[at++] = m | 24
    out[at++] = n
  } else if (n < 0x10000) {
    out[at++] = m | 25
    out[at++] = n >>> 8
    out[at++] = n & 255
  } else {
    out[at++] = m | 26
    for (const shift of [24, 16, 8, 0]) out[at++] = (n >>> shift) & 255
  }
  return at
}

/** Each value is the concatenation of its parts (the standard module passes [nonce, ciphertext]). */
export function encodeBody(sealed: Record<string, Uint8Array | readonly Uint8Array[]>): Uint8Array {
  const names = Object.keys(sealed).sort(keyOrder)
  if (names.length > MAX_ENTRIES) throw new InvalidInputError(`a body holds at most ${MAX_ENTRIES} scopes`)
  const entries = names.map((name) => {
    const value = sealed[name]!
    const parts = value instanceof Uint8Array ? [value] : value
    let length = 0
    for (const p of parts) length += p.length
    return { name: scopeName(name), parts, length }
  })
  let size = headerSize(names.length)
  for (const e of entries) size += headerSize(e.name.length) + e.name.length + headerSize(e.length) + e.length
  if (size > MAX_BODY_BYTES) throw new TooLargeError(`body of ${size} bytes exceeds the ${MAX_BODY_BYTES}-byte limit`)
  const out = new Uint8Array(size)
  let at = writeHeader(out, 0, 5, names.length)
  for (const e of entries) {
    at = writeHeader(out, at, 3, e.name.length)
    for (let i = 0; i < e.name.length; i++) out[at++] = e.name.charCodeAt(i)
    at = writeHeader(out, at, 2, e.length)
    for (const p of e.parts) {
      out.set(p, at)
      at += p.length
    }
  }
  return out
}

/** Strictly decodes untrusted body bytes; throws NonCanonicalError unless they are exactly such a map. */
export function decodeBody(bytes: Uint8Array): Record<string, Uint8Array> {
  if (bytes.length > MAX_BODY_BYTES)
    throw new TooLargeError(`body of ${bytes.length} bytes exceeds the ${MAX_BODY_BYTES}-byte limit`)
  let at = 0
  const fail = (why: string): never => {
    throw new NonCanonicalError(`not a canonical body block: ${why} at byte ${at}`)
  }
  const read = (major: number): number => {
    const b = bytes[at++]
    if (b === undefined || b >> 5 !== major) return fail(`expected CBOR major type ${major}`)
    const info = b & 31
    if (info < 24) return info
    const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0
    if (width === 0 || at + width > bytes.length) return fail('unsupported or truncated length')
    let n = 0
    for (let i = 0; i < width; i++) n = n * 256 + bytes[at++]!
    if (n < (width === 1 ? 24 : width === 2 ? 0x100 : 0x10000)) fail('length not in shortest form')
    return n
  }
  const count = read(5)
  if (count > MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} entries`)
  const out: Record<string, Uint8Array> = {}
  let previous: string | undefined
  for (let i = 0; i < count; i++) {
    const len = read(3)
    if (at + len > bytes.length) fail('truncated key')
    const name = String.fromCharCode(...bytes.subarray(at, at + len))
    at += len
    try {
      scopeName(name)
    } catch {
      fail('key is not a scope name')
    }
    if (previous !== undefined && keyOrder(previous, name) >= 0) fail('keys out of order or repeated')
    previous = name
    const size = read(2)
    if (at + size > bytes.length) fail('truncated value')
    out[name] = bytes.subarray(at, at + size)
    at += size
  }
  if (at !== bytes.length) fail('trailing bytes')
  return out
}
