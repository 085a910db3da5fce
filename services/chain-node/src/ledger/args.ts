/**
 * Parsing of call arguments decoded from a transaction: untrusted, so every field is checked once
 * here (type, range, size) and handlers receive typed values.
 */

import type { BucketSettings, NodeStatus } from '@ddc/chain'
import { type CID, DAG_CBOR, encodeCanonical, InvalidInputError, RAW } from '@ddc/core'

export type Args = Record<string, unknown>

/** DAG-CBOR integers stop at 2^64; genesis keeps total issuance below it, so no balance can overflow. */
export const MAX_AMOUNT = 1n << 64n

/** Refuses unknown argument names and missing required ones. */
export function fields(args: Args, required: string[], optional: string[] = []): void {
  for (const k of required) if (!(k in args)) throw new InvalidInputError(`argument ${k} is required`)
  const allowed = new Set([...required, ...optional])
  for (const k of Object.keys(args)) if (!allowed.has(k)) throw new InvalidInputError(`unknown argument ${k}`)
}

export function account(v: unknown, name: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== 32) throw new InvalidInputError(`${name} must be a 32-byte account id`)
  return v
}

export function amount(v: unknown, name: string): bigint {
  if (!(typeof v === 'bigint' || Number.isSafeInteger(v))) throw new InvalidInputError(`${name} must be an integer`)
  const n = BigInt(v as number | bigint)
  if (n <= 0n || n >= MAX_AMOUNT) throw new InvalidInputError(`${name} must be positive and below 2^64`)
  return n
}

export function nat(v: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) > max) {
    throw new InvalidInputError(`${name} must be an integer from 0 to ${max}`)
  }
  return v as number
}

export function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new InvalidInputError(`${name} must be true or false`)
  return v
}

const ID = /^[A-Za-z0-9._-]{1,64}$/

export function id(v: unknown, name: string): string {
  if (typeof v !== 'string' || !ID.test(v)) throw new InvalidInputError(`${name} must match ${ID}`)
  return v
}

export function cid(v: unknown, name: string): CID {
  const c = v as CID | null
  if (
    !c ||
    typeof c !== 'object' ||
    (c as { asCID?: unknown }).asCID !== c ||
    c.version !== 1 ||
    c.multihash.code !== 0x12 ||
    (c.code !== DAG_CBOR && c.code !== RAW)
  ) {
    throw new InvalidInputError(`${name} must be a CIDv1 (sha2-256, dag-cbor or raw)`)
  }
  return c
}

const STATUSES: readonly NodeStatus[] = ['active', 'inactive', 'maintenance']

export function status(v: unknown): NodeStatus {
  if (!STATUSES.includes(v as NodeStatus)) throw new InvalidInputError(`status must be one of ${STATUSES.join(', ')}`)
  return v as NodeStatus
}

export function endpoints(v: unknown): string[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > 8) throw new InvalidInputError('endpoints: 1 to 8 URLs')
  return v.map((e) => {
    if (typeof e !== 'string' || e.length > 256) throw new InvalidInputError('an endpoint is a URL string')
    let u: URL
    try {
      u = new URL(e)
    } catch {
      throw new InvalidInputError(`endpoint ${e} is not a URL`)
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidInputError('endpoints are http(s) URLs')
    return e
  })
}

const MAX_SETTINGS_BYTES = 4096

function isJson(v: unknown, depth: number): boolean {
  if (depth > 8) return false
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1))
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v as object).every((x) => isJson(x, depth + 1))
  }
  return false
}

export function settings(v: unknown): BucketSettings {
  if (!v || typeof v !== 'object' || Array.isArray(v) || !isJson(v, 0)) {
    throw new InvalidInputError('bucket settings must be a JSON object (no bytes, links or nesting past 8)')
  }
  if (encodeCanonical(v).length > MAX_SETTINGS_BYTES) {
    throw new InvalidInputError(`bucket settings larger than ${MAX_SETTINGS_BYTES} bytes`)
  }
  return v as BucketSettings
}
