/**
 * Typed errors with stable codes. Every failure a caller may want to handle has its own class; HTTP
 * services map `code` to a status in one place and the SDK rethrows the same codes, so a client can
 * switch on `err.code` wherever the error surfaced.
 */

export interface DdcErrorOptions {
  cause?: unknown
  /** Machine-readable details (never secrets): e.g. the current head on a conflict. */
  details?: Record<string, unknown>
}

export class DdcError extends Error {
  readonly code: string = 'ERR_DDC'
  readonly details: Record<string, unknown> | undefined

  constructor(message: string, options: DdcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.details = options.details
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Input that is not what the format allows (wrong type, missing field, bad value). */
export class InvalidInputError extends DdcError {
  override readonly code: string = 'ERR_INVALID_INPUT'
}

/** Bytes that do not decode as DAG-CBOR, or decode but are not in canonical form. */
export class NonCanonicalError extends DdcError {
  override readonly code = 'ERR_NON_CANONICAL'
}

/** Input larger than the limit the receiver accepts. */
export class TooLargeError extends DdcError {
  override readonly code = 'ERR_TOO_LARGE'
}

/** A format version this implementation does not know. */
export class UnsupportedVersionError extends DdcError {
  override readonly code = 'ERR_UNSUPPORTED_VERSION'
}

/** A CID that does not parse, or that does not match the bytes it names. */
export class CidMismatchError extends DdcError {
  override readonly code = 'ERR_CID_MISMATCH'
}

/** A malformed SS58 address or public key. */
export class InvalidAddressError extends DdcError {
  override readonly code = 'ERR_INVALID_ADDRESS'
}

/** A signature that does not verify, or a signature scheme that is not supported. */
export class BadSignatureError extends DdcError {
  override readonly code = 'ERR_BAD_SIGNATURE'
}

/** A batch Merkle path that does not lead from the event to the signed root. */
export class BadProofError extends DdcError {
  override readonly code = 'ERR_BAD_PROOF'
}

/** A capability that is missing, expired, not yet valid, escalated or does not cover the request. */
export class UnauthorizedError extends DdcError {
  override readonly code: string = 'ERR_UNAUTHORIZED'
}

/** A capability whose validity period has ended. */
export class ExpiredError extends UnauthorizedError {
  override readonly code = 'ERR_EXPIRED'
}

/** A signed request or capability use seen before. */
export class ReplayError extends UnauthorizedError {
  override readonly code = 'ERR_REPLAY'
}

/** Compare-and-set failure: the append's `prev`/`seq` is not the current head. */
export class ConflictError extends DdcError {
  override readonly code = 'ERR_CONFLICT'
}

/** A timeline link (`prev`, `seq`, bucket or owner) that does not follow from the previous event. */
export class BadLinkError extends DdcError {
  override readonly code = 'ERR_BAD_LINK'
}

/** Something that does not exist (block, event, timeline, bucket, key). */
export class NotFoundError extends DdcError {
  override readonly code = 'ERR_NOT_FOUND'
}

/** A ciphertext that does not open with the key at hand (wrong key, tampered, moved). */
export class DecryptionError extends DdcError {
  override readonly code = 'ERR_DECRYPTION'
}

/** The reader holds no key for a scope it asked to open. */
export class MissingKeyError extends DdcError {
  override readonly code = 'ERR_MISSING_KEY'
}

/** A remote service failed or could not be reached. */
export class UnavailableError extends DdcError {
  override readonly code = 'ERR_UNAVAILABLE'
}

/** True for any DdcError, including ones that crossed a process boundary as JSON. */
export function isDdcError(err: unknown): err is DdcError {
  return err instanceof DdcError
}

const ERROR_CLASSES = [
  InvalidInputError,
  NonCanonicalError,
  TooLargeError,
  UnsupportedVersionError,
  CidMismatchError,
  InvalidAddressError,
  BadSignatureError,
  BadProofError,
  UnauthorizedError,
  ExpiredError,
  ReplayError,
  ConflictError,
  BadLinkError,
  NotFoundError,
  DecryptionError,
  MissingKeyError,
  UnavailableError,
]

const byCode = new Map<string, new (message: string, options?: DdcErrorOptions) => DdcError>()
for (const C of ERROR_CLASSES) byCode.set(new C('').code, C)

/** Registers another package's error class so `errorFromJson` can revive it by code. */
export function registerErrorClass(C: new (message: string, options?: DdcErrorOptions) => DdcError): void {
  byCode.set(new C('').code, C)
}

/** Revives an error that crossed a process boundary as `{code, message, details}`. */
export function errorFromJson(
  json: { code?: unknown; message?: unknown; details?: unknown },
  fallbackMessage = 'request failed',
): DdcError {
  const message = typeof json.message === 'string' ? json.message : fallbackMessage
  const details =
    typeof json.details === 'object' && json.details !== null ? (json.details as Record<string, unknown>) : undefined
  const C = typeof json.code === 'string' ? byCode.get(json.code) : undefined
  if (C) return new C(message, { details })
  const err = new DdcError(message, { details })
  if (typeof json.code === 'string') Object.defineProperty(err, 'code', { value: json.code })
  return err
}
