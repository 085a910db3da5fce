/**
 * The JSON wire forms: bytes as standard base64 (RFC 4648 §4, padded), 32-byte keys as hex or
 * base64, signed records (grants, announcements) as { cid, record (JSON view), bytes, seal }, and
 * decrypted data as JSON (bytes and CIDs inside it in their DAG-JSON form). Untrusted input is decoded
 * here once into typed values; the record of a signed input is always re-derived from its bytes.
 */
import {
  CID,
  fromHex,
  InvalidInputError,
  type Seal,
  type SealJson,
  sealFromJson,
  sealToJson,
  toAccountId,
} from '@ddc/core'
import { verifyAnnouncement } from '@ddc/crypto'

// A plain character class: a grouped repetition would overflow V8's regexp stack on megabyte inputs.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/
const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/

export const toBase64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')

const isBase64 = (s: string): boolean => s.length % 4 === 0 && BASE64_CHARS.test(s)

/**
 * Strict base64: standard alphabet, padded, canonical (the decoded bytes re-encode to the same text),
 * nothing else — Buffer alone would skip bad characters and ignore stray bits.
 */
export function fromBase64(s: string, what: string, length?: number): Uint8Array {
  const buf = typeof s === 'string' && isBase64(s) ? Buffer.from(s, 'base64') : undefined
  if (!buf || buf.toString('base64') !== s) throw new InvalidInputError(`${what} must be standard padded base64`)
  const out = new Uint8Array(buf)
  if (length !== undefined && out.length !== length)
    throw new InvalidInputError(`${what} must be ${length} bytes, got ${out.length}`)
  return out
}

/** A 32-byte public key given as hex (64 digits, optional 0x) or as base64 (44 characters). */
export function key32(s: string, what: string): Uint8Array {
  if (HEX32.test(s)) return fromHex(s, 32)
  if (s.length === 44 && isBase64(s)) return fromBase64(s, what, 32)
  throw new InvalidInputError(`${what} must be a 32-byte key as hex (64 digits, optional 0x) or base64 (44 characters)`)
}

export interface SignedIn {
  bytes: string
  /** Checked here (sealFromJson), so the schema's type need not be trusted. */
  seal: unknown
}

export interface SignedOut<J> {
  cid: string
  record: J
  bytes: string
  seal: SealJson
}

export function signedIn(input: SignedIn, what: string): { bytes: Uint8Array; seal: Seal } {
  return { bytes: fromBase64(input.bytes, `${what}.bytes`), seal: sealFromJson(input.seal as SealJson) }
}

export function signedOut<T, J>(
  s: { record: T; bytes: Uint8Array; cid: CID; seal: Seal },
  toJson: (record: T) => J,
): SignedOut<J> {
  return { cid: s.cid.toString(), record: toJson(s.record), bytes: toBase64(s.bytes), seal: sealToJson(s.seal) }
}

export type GranteeIn = { account: string; x25519: string } | { announcement: SignedIn }

/** Who a grant is for: an account and X25519 key as given, or as a signed announcement proves them. */
export function grantee(input: GranteeIn): { account: Uint8Array; x25519: Uint8Array } {
  if ('announcement' in input) {
    const { record } = verifyAnnouncement(signedIn(input.announcement, 'grantee.announcement'))
    return { account: record.account, x25519: record.x25519 }
  }
  return { account: toAccountId(input.account), x25519: key32(input.x25519, 'grantee.x25519') }
}

/** Decrypted data as JSON: bytes become {"/": {"bytes": base64}}, CIDs {"/": "bafy…"} (DAG-JSON). */
export function jsonView(value: unknown): unknown {
  if (value instanceof Uint8Array) return { '/': { bytes: toBase64(value).replace(/=+$/, '') } }
  const cid = CID.asCID(value)
  if (cid) return { '/': cid.toString() }
  if (Array.isArray(value)) return value.map(jsonView)
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a decoded "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonView(v)]))
  }
  return value
}
