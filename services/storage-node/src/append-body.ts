/**
 * Reads the DAG-CBOR append body — a list of {env, seal, body?}, or {events, caps?} — returning byte
 * fields as views into the request buffer. A general decoder (cborg) copies every byte string into
 * its own ArrayBuffer: thirteen per batch-signed event (envelope, body, signature, path hashes),
 * measured at ~25 µs/event of decoding and garbage collection, a quarter of the ingest budget. This
 * reader knows only this container; the envelopes inside still go through core's strict canonical
 * decoder, and `caps` is handed to @ipld/dag-cbor. Definite lengths only, no duplicate keys (the
 * DAG-CBOR rules); anything else is refused.
 */

import { InvalidInputError, type Seal, type SigScheme, TooLargeError } from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'

export interface BodyEvent {
  env: Uint8Array
  seal: Seal
  body?: Uint8Array
}

export interface AppendBody {
  events: BodyEvent[]
  caps?: unknown
}

const bad = (what: string): never => {
  throw new InvalidInputError(`append body is not a valid DAG-CBOR append: ${what}`)
}

class Reader {
  at = 0
  constructor(readonly b: Uint8Array) {}

  /** Reads a head byte and its argument: [major type, value]. */
  head(): [number, number] {
    if (this.at >= this.b.length) bad('truncated')
    const ib = this.b[this.at++]!
    const major = ib >> 5
    const info = ib & 0x1f
    if (info < 24) return [major, info]
    const size =
      info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : bad('indefinite or reserved length')
    if (this.at + size > this.b.length) bad('truncated')
    let v = 0
    for (let k = 0; k < size; k++) v = v * 256 + this.b[this.at++]!
    if (!Number.isSafeInteger(v)) bad('integer too large')
    return [major, v]
  }

  expect(major: number, what: string): number {
    const [m, v] = this.head()
    if (m !== major) bad(`${what} has the wrong type`)
    return v
  }

  bytes(what: string): Uint8Array {
    const len = this.expect(2, what)
    if (this.at + len > this.b.length) bad('truncated')
    const v = this.b.subarray(this.at, this.at + len)
    this.at += len
    return v
  }

  text(what: string): string {
    const len = this.expect(3, what)
    if (this.at + len > this.b.length) bad('truncated')
    const v = Buffer.from(this.b.buffer, this.b.byteOffset + this.at, len).toString('utf8')
    this.at += len
    return v
  }

  uint(what: string): number {
    return this.expect(0, what)
  }

  /** Skips one complete value of any type (used to find the extent of `caps`). */
  skip(depth = 0): void {
    if (depth > 64) bad('nested too deeply')
    const [major, v] = this.head()
    if (major === 2 || major === 3) {
      if (this.at + v > this.b.length) bad('truncated')
      this.at += v
    } else if (major === 4) for (let k = 0; k < v; k++) this.skip(depth + 1)
    else if (major === 5) for (let k = 0; k < 2 * v; k++) this.skip(depth + 1)
    else if (major === 6) this.skip(depth + 1)
  }

  /** Reads a map with text keys, calling `field` for each; refuses duplicate keys. */
  map(what: string, field: (key: string) => void): void {
    const n = this.expect(5, what)
    const seen = new Set<string>()
    for (let k = 0; k < n; k++) {
      const key = this.text(`${what} key`)
      if (seen.has(key)) bad(`${what} repeats key ${key}`)
      seen.add(key)
      field(key)
    }
  }

  /** A map key among `keys` (a text of at most 6 ASCII bytes here), as its index; refuses others. */
  key(what: string, keys: readonly string[]): number {
    const len = this.expect(3, `${what} key`)
    if (this.at + len > this.b.length) bad('truncated')
    const b = this.b
    const at = this.at
    this.at += len
    for (let k = 0; k < keys.length; k++) {
      const name = keys[k]!
      if (name.length !== len) continue
      let j = 0
      while (j < len && b[at + j] === name.charCodeAt(j)) j++
      if (j === len) return k
    }
    return bad(`${what} has unknown field ${Buffer.from(b.subarray(at, at + len)).toString('utf8')}`)
  }
}

const SEAL_KEYS = ['scheme', 'sig', 'n', 'i', 'path'] as const
const EVENT_KEYS = ['env', 'body', 'seal'] as const

/** Seals and events are read field by field without closures or sets: a 1,000-event body has 2,000. */
function readSeal(r: Reader): Seal {
  const n = r.expect(5, 'seal')
  let seen = 0
  let scheme: string | undefined
  let sig: Uint8Array | undefined
  let size: number | undefined
  let i: number | undefined
  let path: Uint8Array[] | undefined
  for (let k = 0; k < n; k++) {
    const f = r.key('seal', SEAL_KEYS)
    if (seen & (1 << f)) bad(`seal repeats key ${SEAL_KEYS[f]}`)
    seen |= 1 << f
    // The scheme and lengths are checked by core's parseSeal (ERR_BAD_SIGNATURE, ERR_BAD_PROOF).
    if (f === 0) scheme = r.text('seal.scheme')
    else if (f === 1) sig = r.bytes('seal.sig')
    else if (f === 2) size = r.uint('seal.n')
    else if (f === 3) i = r.uint('seal.i')
    else {
      const len = r.expect(4, 'seal.path')
      if (len > 64) bad('seal.path is too long')
      path = new Array(len)
      for (let j = 0; j < len; j++) path[j] = r.bytes('seal.path[]')
    }
  }
  if (!scheme || !sig || size === undefined || i === undefined || !path) bad('seal lacks a field')
  return { scheme: scheme as SigScheme, sig: sig!, n: size!, i: i!, path: path! }
}

function readEvent(r: Reader): BodyEvent {
  const n = r.expect(5, 'event')
  let seen = 0
  let env: Uint8Array | undefined
  let seal: Seal | undefined
  let body: Uint8Array | undefined
  for (let k = 0; k < n; k++) {
    const f = r.key('event', EVENT_KEYS)
    if (seen & (1 << f)) bad(`event repeats key ${EVENT_KEYS[f]}`)
    seen |= 1 << f
    if (f === 0) env = r.bytes('env')
    else if (f === 1) body = r.bytes('body')
    else seal = readSeal(r)
  }
  if (!env || !seal) bad('an event is {env: bytes, seal, body?: bytes}')
  return body ? { env: env!, seal: seal!, body } : { env: env!, seal: seal! }
}

function readEvents(r: Reader, max: number): BodyEvent[] {
  const n = r.expect(4, 'events')
  if (n > max) throw new TooLargeError(`an append carries at most ${max} events; split it into several requests`)
  const out: BodyEvent[] = new Array(n)
  for (let k = 0; k < n; k++) out[k] = readEvent(r)
  return out
}

/** Reads an append body; `maxEvents` bounds the list before any event is read. */
export function readAppendBody(raw: Uint8Array, maxEvents: number): AppendBody {
  const r = new Reader(raw)
  const first = raw[0]
  let out: AppendBody
  if (first !== undefined && first >> 5 === 4) out = { events: readEvents(r, maxEvents) }
  else {
    out = { events: [] }
    let has = false
    r.map('append', (key) => {
      if (key === 'events') {
        out.events = readEvents(r, maxEvents)
        has = true
      } else if (key === 'caps') {
        const start = r.at
        r.skip()
        try {
          out.caps = dagCbor.decode(raw.subarray(start, r.at))
        } catch (err) {
          bad(`caps: ${(err as Error).message}`)
        }
      } else bad(`unknown field ${key}`)
    })
    if (!has) bad('no events')
  }
  if (r.at !== raw.length) bad('trailing bytes')
  return out
}
