/**
 * Signed HTTP requests (DESIGN.md "Access control"): an account proves it made a request by sealing
 * (kind `request`) the CID of a canonical record of what the request does — method, path and query,
 * body hash, timestamp, nonce, account. Nothing secret goes in the URL; the signature and an optional
 * capability chain travel in headers. Verifiers refuse timestamps outside a window (±5 min) and
 * remember nonces inside it, so a captured request cannot be replayed.
 */
import { base64url } from 'multiformats/bases/base64'
import { sha256 } from '#hash'
import { isSigScheme, toAccountId, toAddress } from './address.js'
import { toHex, utf8 } from './bytes.js'
import { decodeCapabilityChain, encodeCapabilityChain, type SignedCapability } from './capability.js'
import { type CID, cidOf } from './cid.js'
import { encodeCanonical } from './codec.js'
import { InvalidInputError, ReplayError, UnauthorizedError } from './errors.js'
import { type SealVerifier, sealOne, verifySeal } from './seal.js'
import { SIGNATURE_LENGTH } from './signature.js'
import type { Signer } from './signer.js'

export const REQUEST_HEADERS = {
  account: 'x-ddc-account',
  timestamp: 'x-ddc-timestamp',
  nonce: 'x-ddc-nonce',
  signature: 'x-ddc-signature',
  capability: 'x-ddc-capability',
} as const

/** How far a request timestamp may be from the verifier's clock. */
export const REQUEST_WINDOW_MS = 5 * 60_000
const NONCE = /^[A-Za-z0-9_-]{8,64}$/

export interface RequestRecord {
  method: string
  /** Path and query exactly as sent on the request line. */
  path: string
  /** sha256 of the raw body (of zero bytes when there is none). */
  body: Uint8Array
  ts: number
  nonce: string
  account: Uint8Array
}

/** The CID that a request signature seals. */
export function requestRecordCid(rec: RequestRecord): CID {
  return cidOf(encodeCanonical(rec))
}

/** Path and query of an absolute or origin-relative URL, as an HTTP client puts it on the request line. */
export function requestTarget(url: string): string {
  if (url.startsWith('/')) return url
  const u = new URL(url)
  return u.pathname + u.search
}

const bodyBytes = (body: Uint8Array | string | undefined): Uint8Array =>
  body === undefined ? new Uint8Array(0) : typeof body === 'string' ? utf8(body) : body

export interface SignRequestInit {
  method: string
  url: string
  body?: Uint8Array | string
  /** A capability chain (root first) the signer holds, sent as `x-ddc-capability`. */
  capability?: readonly SignedCapability[]
  now?: number
  nonce?: string
}

/** Headers that prove `signer` made this request. Add them to the request as they are. */
export async function signRequest(signer: Signer, init: SignRequestInit): Promise<Record<string, string>> {
  const ts = init.now ?? Date.now()
  const nonce = init.nonce ?? base64url.baseEncode(globalThis.crypto.getRandomValues(new Uint8Array(16)))
  const cid = requestRecordCid({
    method: init.method.toUpperCase(),
    path: requestTarget(init.url),
    body: sha256(bodyBytes(init.body)),
    ts,
    nonce,
    account: signer.accountId,
  })
  const seal = await sealOne(signer, 'request', cid)
  const headers: Record<string, string> = {
    [REQUEST_HEADERS.account]: signer.address,
    [REQUEST_HEADERS.timestamp]: String(ts),
    [REQUEST_HEADERS.nonce]: nonce,
    [REQUEST_HEADERS.signature]: `${seal.scheme}:${base64url.baseEncode(seal.sig)}`,
  }
  if (init.capability?.length) headers[REQUEST_HEADERS.capability] = encodeCapabilityChain(init.capability)
  return headers
}

export interface IncomingRequest {
  method: string
  /** Path and query as received (`req.url` in Node). */
  url: string
  headers: Record<string, string | string[] | undefined>
  body?: Uint8Array
}

export interface VerifiedRequest {
  account: Uint8Array
  capability?: SignedCapability[]
}

export interface RequestVerifierInit {
  windowMs?: number
  /** Nonces remembered at most; when full, the oldest are dropped and older timestamps refused. */
  maxNonces?: number
  now?: () => number
  verifier?: SealVerifier
}

function header(h: IncomingRequest['headers'], name: string): string | undefined {
  const v = h[name]
  if (Array.isArray(v)) throw new InvalidInputError(`header ${name} appears more than once`)
  return v
}

/** Checks signed requests and remembers their nonces. One instance per service. */
export class RequestVerifier {
  readonly #windowMs: number
  readonly #max: number
  readonly #now: () => number
  readonly #verifier: SealVerifier | undefined
  /** key → request timestamp, in insertion order. */
  readonly #seen = new Map<string, number>()
  /** Timestamps at or below this may have had their nonce dropped: refused as possible replays. */
  #floor = Number.NEGATIVE_INFINITY

  constructor(init: RequestVerifierInit = {}) {
    this.#windowMs = init.windowMs ?? REQUEST_WINDOW_MS
    this.#max = init.maxNonces ?? 100_000
    this.#now = init.now ?? Date.now
    this.#verifier = init.verifier
  }

  /** True when the request carries the signature headers (and so must verify). */
  isSigned(headers: IncomingRequest['headers']): boolean {
    return headers[REQUEST_HEADERS.signature] !== undefined || headers[REQUEST_HEADERS.account] !== undefined
  }

  verify(req: IncomingRequest): VerifiedRequest {
    const h = req.headers
    const address = header(h, REQUEST_HEADERS.account)
    const tsText = header(h, REQUEST_HEADERS.timestamp)
    const nonce = header(h, REQUEST_HEADERS.nonce)
    const sigText = header(h, REQUEST_HEADERS.signature)
    if (!address || !tsText || !nonce || !sigText)
      throw new UnauthorizedError(
        `a signed request carries ${REQUEST_HEADERS.account}, ${REQUEST_HEADERS.timestamp}, ${REQUEST_HEADERS.nonce} and ${REQUEST_HEADERS.signature}`,
      )
    const account = toAccountId(address)
    if (!/^\d{1,16}$/.test(tsText))
      throw new InvalidInputError(`${REQUEST_HEADERS.timestamp} must be ms since the epoch`)
    const ts = Number(tsText)
    if (!NONCE.test(nonce)) throw new InvalidInputError(`${REQUEST_HEADERS.nonce} must be 8–64 base64url characters`)
    const [scheme, sigB64, extra] = sigText.split(':')
    if (!isSigScheme(scheme) || sigB64 === undefined || extra !== undefined)
      throw new InvalidInputError(`${REQUEST_HEADERS.signature} must be <scheme>:<base64url signature>`)
    let sig: Uint8Array
    try {
      sig = base64url.baseDecode(sigB64)
    } catch (err) {
      throw new InvalidInputError(`${REQUEST_HEADERS.signature} is not base64url`, { cause: err })
    }
    if (sig.length !== SIGNATURE_LENGTH[scheme])
      throw new InvalidInputError(`a ${scheme} signature is ${SIGNATURE_LENGTH[scheme]} bytes`)
    const capText = header(h, REQUEST_HEADERS.capability)
    const capability = capText === undefined ? undefined : decodeCapabilityChain(capText)

    const now = this.#now()
    if (Math.abs(now - ts) > this.#windowMs)
      throw new ReplayError('request timestamp is outside the accepted window; check the clock and sign again', {
        details: { now },
      })
    const cid = requestRecordCid({
      method: req.method.toUpperCase(),
      path: req.url,
      body: sha256(req.body ?? new Uint8Array(0)),
      ts,
      nonce,
      account,
    })
    try {
      verifySeal('request', cid, { scheme, sig, n: 1, i: 0, path: [] }, account, this.#verifier)
    } catch (err) {
      throw new UnauthorizedError(`request signature by ${toAddress(account)} does not verify`, { cause: err })
    }
    this.#remember(`${toHex(account)}|${nonce}`, ts, now)
    return capability ? { account, capability } : { account }
  }

  #remember(key: string, ts: number, now: number): void {
    if (ts <= this.#floor || this.#seen.has(key)) throw new ReplayError('request was already seen; sign it again')
    // Drop what has left the window, then enforce the bound by raising the floor.
    for (const [k, t] of this.#seen) {
      if (t >= now - this.#windowMs && this.#seen.size < this.#max) break
      this.#seen.delete(k)
      if (t > this.#floor) this.#floor = t
    }
    this.#seen.set(key, ts)
  }
}
