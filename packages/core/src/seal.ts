/**
 * Seals: how DDC signs things. A signer signs, once, the root of a batch tree over the CIDs of the
 * objects (events, capabilities, grants …) it vouches for; each object carries the signature and its
 * audit path, so it verifies alone. A single object is the batch of one (empty path). The signed text
 * is domain-separated by object kind and names the tree size, and is readable in a wallet prompt:
 *   ddc:v1:<kind>:<size>:<root hex>
 */
import type { SigScheme } from './address.js'
import { isSigScheme } from './address.js'
import { bytesEqual, fromHex, toHex, utf8 } from './bytes.js'
import type { CID } from './cid.js'
import { BadProofError, BadSignatureError, InvalidInputError } from './errors.js'
import { buildTree, rootFromPath } from './merkle.js'
import { SIGNATURE_LENGTH, verifySignature } from './signature.js'
import type { Signer } from './signer.js'

export type SealKind = 'event' | 'capability' | 'grant' | 'key' | 'request' | 'anchor'

export interface Seal {
  scheme: SigScheme
  sig: Uint8Array
  /** Tree size (number of objects signed together). */
  n: number
  /** This object's leaf index. */
  i: number
  /** Audit path, leaf side first; empty for a batch of one. */
  path: Uint8Array[]
}

/** The largest batch one signature may cover. */
export const MAX_BATCH = 1 << 16

export function sealMessage(kind: SealKind, size: number, root: Uint8Array): Uint8Array {
  return utf8(`ddc:v1:${kind}:${size}:${toHex(root).slice(2)}`)
}

/** Signs many objects with one signer call (one wallet prompt) and returns a seal per object. */
export async function sealBatch(signer: Signer, kind: SealKind, cids: readonly CID[]): Promise<Seal[]> {
  if (cids.length === 0 || cids.length > MAX_BATCH)
    throw new InvalidInputError(`a batch holds 1 to ${MAX_BATCH} objects`)
  const { root, paths } = buildTree(cids.map((c) => c.bytes))
  const sig = await signer.signRaw(sealMessage(kind, cids.length, root))
  return paths.map((path, i) => ({ scheme: signer.scheme, sig, n: cids.length, i, path }))
}

export async function sealOne(signer: Signer, kind: SealKind, cid: CID): Promise<Seal> {
  return (await sealBatch(signer, kind, [cid]))[0]!
}

/** Checks the shape of an untrusted seal value (decoded from CBOR or JSON). */
export function parseSeal(value: unknown): Seal {
  const s = value as Partial<Seal> | null
  if (!s || typeof s !== 'object') throw new InvalidInputError('seal must be an object')
  if (!isSigScheme(s.scheme)) throw new BadSignatureError(`unsupported signature scheme ${JSON.stringify(s.scheme)}`)
  if (!(s.sig instanceof Uint8Array) || s.sig.length !== SIGNATURE_LENGTH[s.scheme]) {
    throw new BadSignatureError(`a ${s.scheme} signature is ${SIGNATURE_LENGTH[s.scheme]} bytes`)
  }
  if (
    !Number.isSafeInteger(s.n) ||
    !Number.isSafeInteger(s.i) ||
    s.n! < 1 ||
    s.n! > MAX_BATCH ||
    s.i! < 0 ||
    s.i! >= s.n!
  ) {
    throw new BadProofError('seal batch size or index out of range')
  }
  if (
    !Array.isArray(s.path) ||
    s.path.length > 17 ||
    !s.path.every((p) => p instanceof Uint8Array && p.length === 32)
  ) {
    throw new BadProofError('seal path must be a list of 32-byte hashes')
  }
  return { scheme: s.scheme, sig: s.sig, n: s.n!, i: s.i!, path: s.path }
}

const tupleKey = (scheme: SigScheme, accountId: Uint8Array, message: Uint8Array, sig: Uint8Array): string =>
  `${scheme}|${toHex(accountId)}|${toHex(message)}|${toHex(sig)}`

/**
 * Remembers (scheme, account, message, signature) tuples already verified, so a batch costs one
 * signature check however many of its objects arrive. Bounded; oldest entries are dropped first.
 */
export class SealVerifier {
  readonly #seen = new Map<string, true>()
  readonly #max: number
  verifications = 0

  constructor(max = 4096) {
    this.#max = max
  }

  verify(scheme: SigScheme, accountId: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
    const key = tupleKey(scheme, accountId, message, sig)
    if (this.#seen.has(key)) return true
    this.verifications++
    if (!verifySignature(scheme, accountId, message, sig)) return false
    if (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.keys().next().value!)
    this.#seen.set(key, true)
    return true
  }

  /** Marks a tuple as verified elsewhere (e.g. by a worker thread). */
  /** True when this tuple was verified (or remembered) before; checks nothing. */
  has(scheme: SigScheme, accountId: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
    return this.#seen.has(tupleKey(scheme, accountId, message, sig))
  }

  remember(scheme: SigScheme, accountId: Uint8Array, message: Uint8Array, sig: Uint8Array): void {
    const key = tupleKey(scheme, accountId, message, sig)
    if (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.keys().next().value!)
    this.#seen.set(key, true)
  }
}

/** The message a seal's signature must cover, given the object's CID (throws on a bad path). */
export function sealedMessage(kind: SealKind, cid: CID, seal: Seal): Uint8Array {
  return sealMessage(kind, seal.n, rootFromPath(cid.bytes, seal.i, seal.n, seal.path))
}

/** Throws unless `seal` proves that `accountId` signed `cid` as an object of `kind`. */
export function verifySeal(kind: SealKind, cid: CID, seal: Seal, accountId: Uint8Array, verifier?: SealVerifier): void {
  const message = sealedMessage(kind, cid, seal)
  const ok = verifier
    ? verifier.verify(seal.scheme, accountId, message, seal.sig)
    : verifySignature(seal.scheme, accountId, message, seal.sig)
  if (!ok)
    throw new BadSignatureError(
      `${kind} ${cid} is not signed by the named account (${seal.scheme} signature over its batch root fails)`,
    )
}

/** True when two seals came from the same signature over the same batch. */
export function sameBatch(a: Seal, b: Seal): boolean {
  return a.scheme === b.scheme && a.n === b.n && bytesEqual(a.sig, b.sig)
}

export interface SealJson {
  scheme: SigScheme
  sig: string
  n: number
  i: number
  path: string[]
}

export function sealToJson(s: Seal): SealJson {
  return { scheme: s.scheme, sig: toHex(s.sig), n: s.n, i: s.i, path: s.path.map(toHex) }
}

export function sealFromJson(j: SealJson): Seal {
  if (!j || typeof j !== 'object' || typeof j.sig !== 'string' || !Array.isArray(j.path))
    throw new InvalidInputError('seal must be {scheme, sig, n, i, path}')
  return parseSeal({
    scheme: j.scheme,
    sig: fromHex(j.sig),
    n: j.n,
    i: j.i,
    path: j.path.map((p) => fromHex(String(p))),
  })
}
