/**
 * One-pass strict DAG-CBOR decoder: it accepts exactly the bytes that @ipld/dag-cbor decodes and
 * re-encodes to themselves, and returns the same value, without the re-encode (which cost as much as
 * the decode and allocated a second copy of every block on the ingest path). While reading it checks
 * what the encoder would have written: minimal heads, definite lengths, string keys in length-first
 * then bytewise order with no repeats, floats only as float64 and only for values that are not safe
 * integers, valid UTF-8 not starting with a byte-order mark, tag 42 only (a CID whose bytes are its own canonical form), no undefined,
 * no trailing bytes. codec.test.ts compares it with decode-then-re-encode on random inputs.
 */

import type { CID } from 'multiformats/cid'
import { decodeCid } from './cid.js'

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const TWO32 = 2 ** 32

/** Thrown for every refusal; codec.ts wraps it in NonCanonicalError. */
export class CanonicalFormError extends Error {}

const refuse = (why: string): never => {
  throw new CanonicalFormError(why)
}

/** A copy of b[start, end) as a plain Uint8Array (never a view into the caller's buffer). */
function copy(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start)
  out.set(b.subarray(start, end))
  return out
}

class StrictReader {
  at = 0
  constructor(readonly b: Uint8Array) {}

  /** The argument of a head whose additional info is `info`, minimal or refused. */
  arg(info: number): number | bigint {
    if (info < 24) return info
    const b = this.b
    const at = this.at
    switch (info) {
      case 24: {
        if (at + 1 > b.length) refuse('truncated')
        const v = b[at]!
        if (v < 24) refuse('integer encoded in more bytes than necessary')
        this.at = at + 1
        return v
      }
      case 25: {
        if (at + 2 > b.length) refuse('truncated')
        const v = (b[at]! << 8) | b[at + 1]!
        if (v < 256) refuse('integer encoded in more bytes than necessary')
        this.at = at + 2
        return v
      }
      case 26: {
        if (at + 4 > b.length) refuse('truncated')
        const v = b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)
        if (v < 65536) refuse('integer encoded in more bytes than necessary')
        this.at = at + 4
        return v
      }
      case 27: {
        if (at + 8 > b.length) refuse('truncated')
        const hi = b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)
        const lo = b[at + 4]! * 0x1000000 + ((b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!)
        if (hi === 0) refuse('integer encoded in more bytes than necessary')
        this.at = at + 8
        const v = hi * TWO32 + lo
        return Number.isSafeInteger(v) ? v : (BigInt(hi) << 32n) + BigInt(lo)
      }
      default:
        return refuse(info === 31 ? 'indefinite-length items are not DAG-CBOR' : 'reserved additional information')
    }
  }

  /** A length argument (bytes, text, array, map), bounded by what is left of the input. */
  length(info: number): number {
    const n = this.arg(info)
    if (typeof n !== 'number' || n > this.b.length - this.at) refuse('truncated')
    return n as number
  }

  text(len: number): string {
    const b = this.b
    const start = this.at
    const end = start + len
    this.at = end
    if (len <= 32) {
      let s = ''
      for (let k = start; k < end; k++) {
        const c = b[k]!
        if (c >= 0x80) return this.utf8(start, end)
        s += String.fromCharCode(c)
      }
      return s
    }
    return this.utf8(start, end)
  }

  utf8(start: number, end: number): string {
    const b = this.b
    // The general decoder drops a leading byte-order mark, so such a string never re-encodes to itself.
    if (end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf)
      refuse('string starts with a byte-order mark')
    try {
      return utf8.decode(this.b.subarray(start, end))
    } catch {
      return refuse('string is not valid UTF-8')
    }
  }

  value(): unknown {
    const b = this.b
    if (this.at >= b.length) refuse('truncated')
    const ib = b[this.at++]!
    const major = ib >> 5
    const info = ib & 0x1f
    switch (major) {
      case 0:
        return this.arg(info)
      case 1: {
        const n = this.arg(info)
        if (typeof n === 'bigint') return -1n - n
        const v = -1 - n
        return v >= Number.MIN_SAFE_INTEGER ? v : -1n - BigInt(n)
      }
      case 2: {
        const len = this.length(info)
        this.at += len
        return copy(b, this.at - len, this.at)
      }
      case 3:
        return this.text(this.length(info))
      case 4: {
        const len = this.length(info)
        const out = new Array(len)
        for (let k = 0; k < len; k++) out[k] = this.value()
        return out
      }
      case 5:
        return this.map(this.length(info))
      case 6:
        return this.tag(info)
      default:
        return this.simple(info)
    }
  }

  map(len: number): Record<string, unknown> {
    const b = this.b
    const out: Record<string, unknown> = {}
    let prevStart = 0
    let prevLen = -1
    for (let k = 0; k < len; k++) {
      if (this.at >= b.length) refuse('truncated')
      const ib = b[this.at++]!
      if (ib >> 5 !== 3) refuse('map keys must be strings')
      const keyLen = this.length(ib & 0x1f)
      const keyStart = this.at
      // Length first, then bytewise; equal means a repeated key.
      if (keyLen < prevLen) refuse('map keys are not in canonical order')
      if (keyLen === prevLen) {
        let cmp = 0
        for (let j = 0; j < keyLen && cmp === 0; j++) cmp = b[keyStart + j]! - b[prevStart + j]!
        if (cmp <= 0) refuse(cmp === 0 ? 'map repeats a key' : 'map keys are not in canonical order')
      }
      prevStart = keyStart
      prevLen = keyLen
      const key = this.text(keyLen)
      const value = this.value()
      // An own property even for "__proto__", as the general decoder makes it.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, configurable: true, enumerable: true, writable: true })
      else out[key] = value
    }
    // The DAG-CBOR encoder writes {"/": x, "bytes": x} as a CID link: such a map never round-trips.
    if (len >= 2 && out['/'] != null && out['/'] === out.bytes) refuse('map would re-encode as a CID link')
    return out
  }

  tag(info: number): unknown {
    const b = this.b
    if (info !== 24 || b[this.at] !== 42) refuse('the only tag DAG-CBOR allows is 42 (CID), minimally encoded')
    this.at++
    if (this.at >= b.length) refuse('truncated')
    const ib = b[this.at++]!
    if (ib >> 5 !== 2) refuse('a CID (tag 42) holds a byte string')
    const len = this.length(ib & 0x1f)
    if (len === 0 || b[this.at] !== 0) refuse('a CID (tag 42) starts with 0x00')
    const bytes = copy(b, this.at + 1, this.at + len)
    this.at += len
    let cid: CID
    try {
      cid = decodeCid(bytes)
    } catch (err) {
      return refuse(`invalid CID: ${(err as Error).message}`)
    }
    const own = cid.bytes
    if (own.length !== bytes.length) refuse('CID bytes are not in canonical form')
    for (let k = 0; k < own.length; k++) if (own[k] !== bytes[k]) refuse('CID bytes are not in canonical form')
    return cid
  }

  simple(info: number): unknown {
    if (info === 20) return false
    if (info === 21) return true
    if (info === 22) return null
    if (info === 27) {
      const b = this.b
      if (this.at + 8 > b.length) refuse('truncated')
      const v = new DataView(b.buffer, b.byteOffset + this.at, 8).getFloat64(0)
      this.at += 8
      if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
        refuse('NaN and Infinity are not DAG-CBOR')
      // The encoder writes safe integers (and -0) as integers, everything else as float64.
      if (Number.isSafeInteger(v)) refuse('an integral float is encoded as an integer')
      return v
    }
    if (info === 25 || info === 26) return refuse('floats are always float64 in DAG-CBOR')
    if (info === 23) return refuse('undefined is not DAG-CBOR')
    if (info === 31) return refuse('indefinite-length items are not DAG-CBOR')
    return refuse('simple values other than false, true and null are not DAG-CBOR')
  }
}

/** Decodes `bytes` as canonical DAG-CBOR or throws CanonicalFormError. */
export function decodeStrict(bytes: Uint8Array): unknown {
  const r = new StrictReader(bytes)
  const value = r.value()
  if (r.at !== bytes.length) refuse('trailing bytes after the value')
  return value
}
