/**
 * Strict field readers for untrusted records (decoded CBOR or JSON): each names the field it refuses,
 * so an error says what to fix. Formats follow core's envelope rules for names and account ids.
 */
import { InvalidInputError, LIMITS, UnsupportedVersionError } from '@ddc/core'

const NAME = /^[A-Za-z0-9._:/@-]+$/

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** The value as a map holding only the listed fields, with every required one present. */
export function fields(
  v: unknown,
  what: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (!isPlainObject(v)) throw new InvalidInputError(`${what} must be a map`)
  for (const k of Object.keys(v)) {
    if (!required.includes(k) && !optional.includes(k))
      throw new InvalidInputError(`${what} has unknown field ${JSON.stringify(k)}`)
  }
  for (const k of required) if (v[k] === undefined) throw new InvalidInputError(`${what}.${k} is missing`)
  return v
}

/** A versioned record: the version is checked before the fields, so a newer record says so. */
export function versioned(
  v: unknown,
  what: string,
  supported: number,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (!isPlainObject(v)) throw new InvalidInputError(`${what} must be a map`)
  if (v.v !== supported)
    throw new UnsupportedVersionError(`${what} version ${String(v.v)} is not supported (expected ${supported})`)
  return fields(v, what, ['v', ...required], optional)
}

export function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new InvalidInputError(`${what} must be a string`)
  return v
}

export function uint(v: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new InvalidInputError(`${what} must be an integer from 0 to ${max}`)
  }
  return v
}

export const MAX_EPOCH = 0xffff_ffff
export const epoch = (v: unknown, what = 'epoch'): number => uint(v, what, MAX_EPOCH)

export function bytes(v: unknown, what: string, length?: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidInputError(`${what} must be bytes`)
  if (length !== undefined && v.length !== length)
    throw new InvalidInputError(`${what} must be ${length} bytes, got ${v.length}`)
  return v
}

export function name(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || !NAME.test(v)) {
    throw new InvalidInputError(`${what} must be 1–${max} characters of [A-Za-z0-9._:/@-]`)
  }
  return v
}

export const bucketName = (v: unknown, what = 'bucket'): string => name(v, what, LIMITS.bucket)
export const scopeName = (v: unknown, what = 'scope'): string => name(v, what, LIMITS.scopeName)
export const accountId = (v: unknown, what: string): Uint8Array => bytes(v, what, 32)
