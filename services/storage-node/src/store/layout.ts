/**
 * LevelDB key layout and record codecs. One keyspace, a one-byte prefix per table; integers are
 * big-endian so LevelDB's byte order is numeric order. A timeline is named inside keys by a 4-byte
 * id (allocated on its first append) rather than bucket+owner, which keeps index keys short.
 *
 *   b <cid>                         → block pointer                 every block by CID (see below)
 *   s <tlid> <seq>                  → event record                  seq index: CID, seal, envelope bytes
 *   d <tlid> <seq>                  → body block bytes              erased by tombstones
 *   y <tlid> <type> 0x00 <seq>      → (empty)                       by event type
 *   m <tlid> <ts u64> <seq>         → type                          by client timestamp
 *   h <tlid>                        → seq u64 ‖ cid                 head
 *   T <bucket> 0x00 <owner>         → tlid u32                      timelines of a bucket
 *   I <tlid>                        → bucket 0x00 owner             timeline of an id
 *   k <chunk u64>                   → batch seal chunk (DAG-CBOR)   one signature for many events
 *   C <cid>                         → seal (DAG-CBOR)               capability seals
 *   B <bucket>                      → (empty)                       buckets with data
 *   U <bucket>                      → usage (DAG-CBOR)
 *   M ids                           → next ids (DAG-CBOR)
 *
 * Envelopes and bodies live under their timeline's (tlid, seq) and `b` points there: a timeline read
 * is then a sequential scan, where keying the blocks themselves by CID made it one random lookup per
 * block (measured: ~11 µs per block at 100k events, the largest cost of a read). Capability blocks,
 * which belong to no event, are stored in the pointer itself.
 */
import { type CID, decodeCid, type Seal, type SigScheme } from '@ddc/core'

export const P = {
  block: 0x62,
  seq: 0x73,
  body: 0x64,
  type: 0x79,
  time: 0x6d,
  head: 0x68,
  timeline: 0x54,
  timelineInfo: 0x49,
  chunk: 0x6b,
  capSeal: 0x43,
  bucket: 0x42,
  usage: 0x55,
  meta: 0x4d,
} as const

const TWO32 = 2 ** 32

function writeU64(b: Buffer, n: number, at: number): void {
  b.writeUInt32BE(Math.floor(n / TWO32), at)
  b.writeUInt32BE(n >>> 0, at + 4)
}

export function readU64(b: Uint8Array, at: number): number {
  const v = Buffer.from(b.buffer, b.byteOffset, b.length)
  return v.readUInt32BE(at) * TWO32 + v.readUInt32BE(at + 4)
}

function prefixed(p: number, ...parts: (Uint8Array | string)[]): Buffer {
  return Buffer.concat([Buffer.of(p), ...parts.map((x) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : x))])
}

/** prefix ‖ bytes, without the intermediate arrays of Buffer.concat (hot path: two per event). */
function cidKey(p: number, cid: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(1 + cid.length)
  b[0] = p
  b.set(cid, 1)
  return b
}

export const blockKey = (cid: Uint8Array) => cidKey(P.block, cid)
export const capSealKey = (cid: Uint8Array) => cidKey(P.capSeal, cid)
export const bucketKey = (bucket: string) => prefixed(P.bucket, bucket)
export const usageKey = (bucket: string) => prefixed(P.usage, bucket)
export const metaKey = (name: string) => prefixed(P.meta, name)
export const timelineKey = (bucket: string, owner: Uint8Array) => prefixed(P.timeline, bucket, Buffer.of(0), owner)
export const timelinePrefix = (bucket: string) => prefixed(P.timeline, bucket, Buffer.of(0))

export function tlKey(p: number, tlid: number, extra = 0): Buffer {
  const b = Buffer.allocUnsafe(5 + extra)
  b[0] = p
  b.writeUInt32BE(tlid, 1)
  return b
}

export const headKey = (tlid: number) => tlKey(P.head, tlid)
export const timelineInfoKey = (tlid: number) => tlKey(P.timelineInfo, tlid)

export function seqKey(tlid: number, seq: number): Buffer {
  const b = tlKey(P.seq, tlid, 8)
  writeU64(b, seq, 5)
  return b
}

export function bodyKey(tlid: number, seq: number): Buffer {
  const b = tlKey(P.body, tlid, 8)
  writeU64(b, seq, 5)
  return b
}

export function typeKey(tlid: number, type: string, seq: number): Buffer {
  const t = Buffer.from(type, 'utf8')
  const b = tlKey(P.type, tlid, t.length + 9)
  t.copy(b, 5)
  b[5 + t.length] = 0
  writeU64(b, seq, 6 + t.length)
  return b
}

export function timeKey(tlid: number, ts: number, seq: number): Buffer {
  const b = tlKey(P.time, tlid, 16)
  writeU64(b, ts, 5)
  writeU64(b, seq, 13)
  return b
}

export function chunkKey(id: number): Buffer {
  const b = Buffer.allocUnsafe(9)
  b[0] = P.chunk
  writeU64(b, id, 1)
  return b
}

export function headValue(seq: number, cid: CID): Buffer {
  const b = Buffer.allocUnsafe(8 + cid.bytes.length)
  writeU64(b, seq, 0)
  b.set(cid.bytes, 8)
  return b
}

export const decodeHead = (v: Uint8Array) => ({ seq: readU64(v, 0), cid: decodeCid(v.subarray(8)) })

export function u32Value(n: number): Buffer {
  const b = Buffer.allocUnsafe(4)
  b.writeUInt32BE(n, 0)
  return b
}

// --- varints (LEB128) for the compact binary records -------------------------------------------

function varintLength(n: number): number {
  let len = 1
  while (n >= 0x80) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}

function writeVarint(b: Uint8Array, n: number, at: number): number {
  while (n >= 0x80) {
    b[at++] = (n & 0x7f) | 0x80
    n = Math.floor(n / 128)
  }
  b[at++] = n
  return at
}

function readVarint(b: Uint8Array, at: number): [number, number] {
  let n = 0
  let mul = 1
  for (;;) {
    const byte = b[at++]!
    n += (byte & 0x7f) * mul
    if (byte < 0x80) return [n, at]
    mul *= 128
  }
}

/** Where a block lives: inside the pointer (capabilities), or in an event's record or body slot. */
export type BlockPointer =
  | { kind: 'inline'; tlid: number; bytes: Uint8Array }
  | { kind: 'envelope' | 'body'; tlid: number; seq: number }

const POINTER_KIND = { inline: 0, envelope: 1, body: 2 } as const

export function inlinePointer(tlid: number, bytes: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(1 + varintLength(tlid) + bytes.length)
  b[0] = POINTER_KIND.inline
  b.set(bytes, writeVarint(b, tlid, 1))
  return b
}

export function slotPointer(kind: 'envelope' | 'body', tlid: number, seq: number): Buffer {
  const b = Buffer.allocUnsafe(13)
  b[0] = POINTER_KIND[kind]
  b.writeUInt32BE(tlid, 1)
  writeU64(b, seq, 5)
  return b
}

export function decodePointer(v: Uint8Array): BlockPointer {
  if (v[0] === POINTER_KIND.inline) {
    const [tlid, at] = readVarint(v, 1)
    // A plain Uint8Array view (not a Buffer) so callers see the same type they stored.
    return { kind: 'inline', tlid, bytes: new Uint8Array(v.buffer, v.byteOffset + at, v.length - at) }
  }
  const view = Buffer.from(v.buffer, v.byteOffset, v.length)
  return { kind: v[0] === POINTER_KIND.envelope ? 'envelope' : 'body', tlid: view.readUInt32BE(1), seq: readU64(v, 5) }
}

/** A stored value as a plain Uint8Array view. */
export const plain = (v: Uint8Array) => new Uint8Array(v.buffer, v.byteOffset, v.length)

// --- event records (s table) --------------------------------------------------------------------

const SCHEMES: SigScheme[] = ['sr25519', 'ed25519', 'ecdsa']

/** Where an event's seal lives: whole in the record, or as a leaf of a stored batch chunk. */
export type SealRef = { seal: Seal } | { chunk: number; i: number }

export interface EventRecord {
  cid: CID
  sealRef: SealRef
  /** The envelope block. */
  env: Uint8Array
}

/** cid length ‖ cid ‖ seal (inline or chunk reference) ‖ envelope bytes (the rest). */
export function encodeEventRecord(cid: CID, ref: SealRef, env: Uint8Array): Buffer {
  const c = cid.bytes
  if ('chunk' in ref) {
    const head = 2 + c.length + varintLength(ref.chunk) + varintLength(ref.i)
    const b = Buffer.allocUnsafe(head + env.length)
    b[0] = c.length
    b.set(c, 1)
    b[1 + c.length] = 1
    writeVarint(b, ref.i, writeVarint(b, ref.chunk, 2 + c.length))
    b.set(env, head)
    return b
  }
  const s = ref.seal
  const size = 2 + c.length + 2 + s.sig.length + varintLength(s.n) + varintLength(s.i) + 1 + 32 * s.path.length
  const b = Buffer.allocUnsafe(size + env.length)
  b.set(env, size)
  let at = 0
  b[at++] = c.length
  b.set(c, at)
  at += c.length
  b[at++] = 0
  b[at++] = SCHEMES.indexOf(s.scheme)
  b[at++] = s.sig.length
  b.set(s.sig, at)
  at += s.sig.length
  at = writeVarint(b, s.n, at)
  at = writeVarint(b, s.i, at)
  b[at++] = s.path.length
  for (const p of s.path) {
    b.set(p, at)
    at += 32
  }
  return b
}

export function decodeEventRecord(v: Uint8Array): EventRecord {
  let at = 0
  const clen = v[at++]!
  const cid = decodeCid(v.subarray(at, at + clen))
  at += clen
  if (v[at++] === 1) {
    const [chunk, a2] = readVarint(v, at)
    const [i, a3] = readVarint(v, a2)
    return { cid, sealRef: { chunk, i }, env: new Uint8Array(v.buffer, v.byteOffset + a3, v.length - a3) }
  }
  const scheme = SCHEMES[v[at++]!]!
  const slen = v[at++]!
  const sig = v.slice(at, at + slen)
  at += slen
  const [n, a2] = readVarint(v, at)
  const [i, a3] = readVarint(v, a2)
  at = a3
  const count = v[at++]!
  const path: Uint8Array[] = []
  for (let k = 0; k < count; k++, at += 32) path.push(v.slice(at, at + 32))
  return {
    cid,
    sealRef: { seal: { scheme, sig, n, i, path } },
    env: new Uint8Array(v.buffer, v.byteOffset + at, v.length - at),
  }
}
