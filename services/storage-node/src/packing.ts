/**
 * Decoded events and signature checks cross the worker boundary as one array of primitives plus one
 * transferable byte buffer. Structured-cloning a thousand small objects, each with a dozen typed
 * arrays, costs ~15× more on both threads and gives the garbage collector an ArrayBuffer per field;
 * unpacked fields here are views into the one buffer. Fields that are slices of the request body
 * (envelope, body block, signature, path) travel as offsets: both threads hold that body.
 */
import type { SigScheme } from '@ddc/core'
import type { DecodedEvent, SigCheck } from './decode-events.js'

export interface Packed {
  flat: (string | number)[]
  bytes: Uint8Array
}

class Packer {
  readonly flat: (string | number)[] = []
  constructor(readonly raw?: Uint8Array) {}
  /** A slice of the request body, as [offset, length]. */
  ref(b: Uint8Array): void {
    const raw = this.raw!
    if (b.buffer !== raw.buffer) throw new Error('packing: a field is not a slice of the request body')
    this.flat.push(b.byteOffset - raw.byteOffset, b.length)
  }
  readonly #parts: Uint8Array[] = []
  #size = 0
  bytes(b: Uint8Array | null): void {
    this.flat.push(b ? b.length : -1)
    if (b) {
      this.#parts.push(b)
      this.#size += b.length
    }
  }
  done(): Packed {
    // A fresh buffer (not Node's shared pool) so it can be transferred, not copied.
    const bytes = new Uint8Array(this.#size)
    let at = 0
    for (const p of this.#parts) {
      bytes.set(p, at)
      at += p.length
    }
    return { flat: this.flat, bytes }
  }
}

class Unpacker {
  #f = 0
  #b = 0
  constructor(
    readonly p: Packed,
    readonly raw?: Uint8Array,
  ) {}
  ref(): Uint8Array {
    const at = this.value<number>()
    return this.raw!.subarray(at, at + this.value<number>())
  }
  refOrNull(): Uint8Array | null {
    if (this.p.flat[this.#f] === -1) {
      this.#f++
      return null
    }
    return this.ref()
  }
  get more(): boolean {
    return this.#f < this.p.flat.length
  }
  value<T extends string | number>(): T {
    return this.p.flat[this.#f++] as T
  }
  bytes(): Uint8Array | null {
    const len = this.value<number>()
    if (len < 0) return null
    const v = this.p.bytes.subarray(this.#b, this.#b + len)
    this.#b += len
    return v
  }
}

/** Packs events whose env, bodyBytes and seal bytes are slices of `raw`. */
export function packEvents(events: readonly DecodedEvent[], raw: Uint8Array): Packed {
  const p = new Packer(raw)
  for (const e of events) {
    p.flat.push(e.bucket, e.seq, e.type, e.ts, e.seal.scheme, e.seal.n, e.seal.i, e.seal.path.length)
    p.bytes(e.cid)
    p.bytes(e.owner)
    p.bytes(e.prev)
    p.bytes(e.body)
    p.bytes(e.signer)
    p.bytes(e.cap)
    p.ref(e.env)
    if (e.bodyBytes) p.ref(e.bodyBytes)
    else p.flat.push(-1)
    p.ref(e.seal.sig)
    for (const h of e.seal.path) p.ref(h)
    if (e.erase === undefined) p.flat.push(-1)
    else if (e.erase === 'all') p.flat.push(-2)
    else {
      p.flat.push(e.erase.length)
      for (const c of e.erase) p.bytes(c)
    }
  }
  return p.done()
}

export function unpackEvents(packed: Packed, raw: Uint8Array): DecodedEvent[] {
  const u = new Unpacker(packed, raw)
  const out: DecodedEvent[] = []
  while (u.more) {
    const bucket = u.value<string>()
    const seq = u.value<number>()
    const type = u.value<string>()
    const ts = u.value<number>()
    const scheme = u.value<SigScheme>()
    const n = u.value<number>()
    const i = u.value<number>()
    const pathLength = u.value<number>()
    const e: DecodedEvent = {
      bucket,
      seq,
      type,
      ts,
      cid: u.bytes()!,
      owner: u.bytes()!,
      prev: u.bytes(),
      body: u.bytes(),
      signer: u.bytes(),
      cap: u.bytes(),
      env: u.ref(),
      bodyBytes: null,
      seal: { scheme, n, i, sig: new Uint8Array(0), path: [] },
    }
    e.bodyBytes = u.refOrNull()
    e.seal.sig = u.ref()
    for (let k = 0; k < pathLength; k++) e.seal.path.push(u.ref())
    const erase = u.value<number>()
    if (erase === -2) e.erase = 'all'
    else if (erase >= 0) e.erase = Array.from({ length: erase }, () => u.bytes()!)
    out.push(e)
  }
  return out
}

export function packChecks(checks: readonly SigCheck[]): Packed {
  const p = new Packer()
  for (const c of checks) {
    p.flat.push(c.scheme, c.index)
    p.bytes(c.signer)
    p.bytes(c.message)
    p.bytes(c.sig)
  }
  return p.done()
}

export function unpackChecks(packed: Packed): SigCheck[] {
  const u = new Unpacker(packed)
  const out: SigCheck[] = []
  while (u.more) {
    const scheme = u.value<SigScheme>()
    const index = u.value<number>()
    out.push({ scheme, index, signer: u.bytes()!, message: u.bytes()!, sig: u.bytes()! })
  }
  return out
}
