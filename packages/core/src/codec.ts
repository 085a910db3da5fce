/**
 * Canonical DAG-CBOR: the one encoding that is hashed, signed and stored. Decoding untrusted bytes is
 * strict: bytes must be under the size limit and be exactly what the DAG-CBOR encoder writes for the
 * value they hold (so two encodings of one value can never have two CIDs). That is checked while
 * decoding, in one pass (canonical-decode.ts), rather than by encoding the value again.
 */
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { decodeStrict } from './canonical-decode.js'
import { NonCanonicalError, TooLargeError } from './errors.js'

/** Default ceiling for one structural block (envelope, capability, grant). Ciphertext blobs have their own. */
export const MAX_BLOCK_BYTES = 1024 * 1024

export function encodeCanonical(value: unknown): Uint8Array {
  try {
    return dagCbor.encode(value)
  } catch (err) {
    throw new NonCanonicalError(`value cannot be encoded as DAG-CBOR: ${(err as Error).message}`, { cause: err })
  }
}

export function decodeCanonical<T = unknown>(bytes: Uint8Array, maxBytes = MAX_BLOCK_BYTES): T {
  if (bytes.length > maxBytes)
    throw new TooLargeError(`block of ${bytes.length} bytes exceeds the ${maxBytes}-byte limit`)
  try {
    return decodeStrict(bytes) as T
  } catch (err) {
    throw new NonCanonicalError(`not canonical DAG-CBOR: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Decodes DAG-CBOR already authenticated by other means (an AEAD tag), where canonical form is not a
 * security property because the bytes are never hashed into a CID. Still size-limited and typed-error.
 */
export function decodeAuthenticated<T = unknown>(bytes: Uint8Array, maxBytes = MAX_BLOCK_BYTES): T {
  if (bytes.length > maxBytes)
    throw new TooLargeError(`block of ${bytes.length} bytes exceeds the ${maxBytes}-byte limit`)
  try {
    return dagCbor.decode<T>(bytes)
  } catch (err) {
    throw new NonCanonicalError(`not valid DAG-CBOR: ${(err as Error).message}`, { cause: err })
  }
}

/** The DAG-JSON view of a value: CIDs as {"/": "..."}, bytes as {"/": {"bytes": "..."}}. */
export function toDagJson(value: unknown): string {
  return new TextDecoder().decode(dagJson.encode(value))
}

export function fromDagJson<T = unknown>(json: string | Uint8Array): T {
  const bytes = typeof json === 'string' ? new TextEncoder().encode(json) : json
  try {
    return dagJson.decode<T>(bytes)
  } catch (err) {
    throw new NonCanonicalError(`not valid DAG-JSON: ${(err as Error).message}`, { cause: err })
  }
}
