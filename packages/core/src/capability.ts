/**
 * Capabilities as data (DESIGN.md "Access control", w3up style): a bucket owner grants an audience
 * some operations on a bucket (optionally only some timelines) until a time; the audience may delegate
 * a narrower grant further. Each link is a canonical DAG-CBOR block sealed by its issuer
 * (`sealOne(signer, 'capability', cid)`); a child names its parent by CID in `prf`. One generic
 * validator checks a whole chain for one concrete use (who, which op, which bucket and timeline, when).
 */
import { base64url } from 'multiformats/bases/base64'
import { toAccountId, toAddress } from './address.js'
import { bytesEqual } from './bytes.js'
import { type CID, cidOf, parseCid } from './cid.js'
import { decodeCanonical, encodeCanonical } from './codec.js'
import {
  ExpiredError,
  InvalidInputError,
  registerErrorClass,
  UnauthorizedError,
  UnsupportedVersionError,
} from './errors.js'
import { parseSeal, type Seal, type SealJson, type SealVerifier, sealOne, sealToJson, verifySeal } from './seal.js'
import type { Signer } from './signer.js'

export const CAPABILITY_VERSION = 1
export type CapabilityOp = 'read' | 'append' | 'delete'
export const CAPABILITY_OPS: readonly CapabilityOp[] = ['read', 'append', 'delete']
/** Longest chain a validator walks (root + delegations). */
export const MAX_CHAIN = 8
/** Most timelines one capability may name. */
export const MAX_CAPABILITY_TIMELINES = 1024

export interface Capability {
  v: 1
  /** Issuer (AccountId32): the bucket owner for a root, the parent's audience for a delegation. */
  iss: Uint8Array
  /** Audience (AccountId32): who may use it. */
  aud: Uint8Array
  bucket: string
  /** Timelines (owner accounts) covered; absent means every timeline of the bucket. */
  tl?: Uint8Array[]
  ops: CapabilityOp[]
  /** Not valid before (ms since the Unix epoch). */
  nbf?: number
  /** Expiry (ms since the Unix epoch), exclusive. */
  exp: number
  /** CID of the parent capability; absent on the root. */
  prf?: CID
  /** Makes two otherwise equal grants distinct (and their CIDs). */
  nonce: string
}

export interface SignedCapability {
  capability: Capability
  bytes: Uint8Array
  cid: CID
  seal: Seal
}

/** A delegation that claims more than its parent holds (ops, timelines, time or bucket). */
export class EscalationError extends UnauthorizedError {
  override readonly code = 'ERR_ESCALATION'
}
registerErrorClass(EscalationError)

const KEYS = new Set(['v', 'iss', 'aud', 'bucket', 'tl', 'ops', 'nbf', 'exp', 'prf', 'nonce'])
const NAME = /^[A-Za-z0-9._:/@-]{1,128}$/
const NONCE = /^[A-Za-z0-9._~-]{1,64}$/

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

function account(v: unknown, field: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== 32) throw new InvalidInputError(`capability.${field} must be 32 bytes`)
  return v
}

function time(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InvalidInputError(`capability.${field} must be a non-negative integer (ms)`)
  return v
}

/** Checks an untrusted decoded value against the capability schema; returns it typed. */
export function parseCapability(value: unknown): Capability {
  if (!isMap(value)) throw new InvalidInputError('capability must be a map')
  if (value.v !== CAPABILITY_VERSION)
    throw new UnsupportedVersionError(`capability version ${String(value.v)} is not supported (expected 1)`)
  for (const k of Object.keys(value))
    if (!KEYS.has(k)) throw new InvalidInputError(`capability has unknown field ${JSON.stringify(k)}`)
  if (typeof value.bucket !== 'string' || !NAME.test(value.bucket))
    throw new InvalidInputError('capability.bucket must be 1–128 characters of [A-Za-z0-9._:/@-]')
  if (typeof value.nonce !== 'string' || !NONCE.test(value.nonce))
    throw new InvalidInputError('capability.nonce must be 1–64 characters of [A-Za-z0-9._~-]')
  if (!Array.isArray(value.ops) || value.ops.length === 0)
    throw new InvalidInputError('capability.ops must list at least one operation')
  const ops = new Set<CapabilityOp>()
  for (const op of value.ops) {
    if (!CAPABILITY_OPS.includes(op as CapabilityOp) || ops.has(op as CapabilityOp))
      throw new InvalidInputError(`capability.ops must be distinct values of ${CAPABILITY_OPS.join(', ')}`)
    ops.add(op as CapabilityOp)
  }
  const cap: Capability = {
    v: 1,
    iss: account(value.iss, 'iss'),
    aud: account(value.aud, 'aud'),
    bucket: value.bucket,
    ops: value.ops as CapabilityOp[],
    exp: time(value.exp, 'exp'),
    nonce: value.nonce,
  }
  if (value.tl !== undefined) {
    if (!Array.isArray(value.tl) || value.tl.length === 0 || value.tl.length > MAX_CAPABILITY_TIMELINES)
      throw new InvalidInputError(`capability.tl must list 1–${MAX_CAPABILITY_TIMELINES} accounts, or be omitted`)
    cap.tl = value.tl.map((t) => account(t, 'tl[]'))
  }
  if (value.nbf !== undefined) {
    cap.nbf = time(value.nbf, 'nbf')
    if (cap.nbf >= cap.exp) throw new InvalidInputError('capability.nbf must be before capability.exp')
  }
  if (value.prf !== undefined) {
    const prf = parseCid(value.prf as CID)
    if (prf.version !== 1) throw new InvalidInputError('capability.prf must be a CIDv1 link')
    cap.prf = prf
  }
  return cap
}

export function encodeCapability(cap: Capability): { bytes: Uint8Array; cid: CID } {
  const clean = Object.fromEntries(Object.entries(cap).filter(([, v]) => v !== undefined))
  const bytes = encodeCanonical(clean)
  return { bytes, cid: cidOf(bytes) }
}

/** Strictly decodes untrusted capability bytes (canonical DAG-CBOR, schema) with their seal. */
export function decodeSignedCapability(bytes: Uint8Array, seal: unknown): SignedCapability {
  const capability = parseCapability(decodeCanonical(bytes, 64 * 1024))
  return { capability, bytes, cid: cidOf(bytes), seal: parseSeal(seal) }
}

export interface CapabilityInit {
  aud: Uint8Array | string
  bucket: string
  tl?: (Uint8Array | string)[]
  ops: CapabilityOp[]
  nbf?: number
  exp: number
  nonce?: string
}

function randomNonce(): string {
  return base64url.baseEncode(globalThis.crypto.getRandomValues(new Uint8Array(12)))
}

async function sign(signer: Signer, init: CapabilityInit, prf?: CID): Promise<SignedCapability> {
  const capability = parseCapability({
    v: 1,
    iss: signer.accountId,
    aud: toAccountId(init.aud),
    bucket: init.bucket,
    ...(init.tl ? { tl: init.tl.map((t) => toAccountId(t)) } : {}),
    ops: init.ops,
    ...(init.nbf !== undefined ? { nbf: init.nbf } : {}),
    exp: init.exp,
    ...(prf ? { prf } : {}),
    nonce: init.nonce ?? randomNonce(),
  })
  const { bytes, cid } = encodeCapability(capability)
  return { capability, bytes, cid, seal: await sealOne(signer, 'capability', cid) }
}

/** Issues a root capability; the signer must be the bucket owner for validators to accept it. */
export function issueCapability(signer: Signer, init: CapabilityInit): Promise<SignedCapability> {
  return sign(signer, init)
}

/** Delegates part of `parent` (held by the signer) to another audience. Returns the extended chain. */
export async function delegateCapability(
  signer: Signer,
  chain: readonly SignedCapability[],
  init: CapabilityInit,
): Promise<SignedCapability[]> {
  const parent = chain[chain.length - 1]
  if (!parent) throw new InvalidInputError('delegation needs the parent chain')
  if (!bytesEqual(parent.capability.aud, signer.accountId))
    throw new UnauthorizedError('only the audience of a capability can delegate it')
  return [...chain, await sign(signer, init, parent.cid)]
}

export interface CapabilityUse {
  /** Owner of the bucket (on chain): the only accepted root issuer. */
  bucketOwner: Uint8Array
  /** The account acting (the request signer or the event's delegate signer). */
  actor: Uint8Array
  op: CapabilityOp
  bucket: string
  /** The timeline acted on; omit for bucket-wide operations (then every link must cover all timelines). */
  timeline?: Uint8Array
  /** Current time in ms. */
  now: number
  verifier?: SealVerifier
}

const covers = (set: readonly Uint8Array[] | undefined, t: Uint8Array): boolean =>
  set === undefined || set.some((x) => bytesEqual(x, t))

/**
 * Checks a chain (root first) for one use; returns the leaf. Throws UnauthorizedError when the chain
 * does not grant the use, ExpiredError outside a link's validity period, EscalationError when a link
 * claims more than its parent.
 */
export function validateCapabilityChain(chain: readonly SignedCapability[], use: CapabilityUse): SignedCapability {
  if (chain.length === 0) throw new UnauthorizedError('no capability was presented')
  if (chain.length > MAX_CHAIN) throw new UnauthorizedError(`capability chains are at most ${MAX_CHAIN} links`)
  const root = chain[0]!.capability
  if (root.prf !== undefined) throw new UnauthorizedError('the first capability of a chain must be a root (no prf)')
  if (!bytesEqual(root.iss, use.bucketOwner))
    throw new UnauthorizedError('the root capability is not issued by the bucket owner')
  for (let k = 0; k < chain.length; k++) {
    const link = chain[k]!
    const cap = link.capability
    try {
      verifySeal('capability', link.cid, link.seal, cap.iss, use.verifier)
    } catch (err) {
      throw new UnauthorizedError(`capability ${k} is not signed by its issuer`, { cause: err })
    }
    if (cap.bucket !== use.bucket) throw new UnauthorizedError(`capability ${k} is for another bucket`)
    if (use.now >= cap.exp)
      throw new ExpiredError(`capability ${k} expired at ${new Date(cap.exp).toISOString()}; ask for a new one`)
    if (cap.nbf !== undefined && use.now < cap.nbf)
      throw new UnauthorizedError(`capability ${k} is not valid before ${new Date(cap.nbf).toISOString()}`)
    if (k === 0) continue
    const parent = chain[k - 1]!
    const p = parent.capability
    if (!cap.prf?.equals(parent.cid)) throw new UnauthorizedError(`capability ${k} does not name its parent in prf`)
    if (!bytesEqual(cap.iss, p.aud))
      throw new UnauthorizedError(`capability ${k} is not issued by its parent's audience`)
    if (!cap.ops.every((op) => p.ops.includes(op)))
      throw new EscalationError(`capability ${k} grants operations its parent does not hold`)
    if (p.tl !== undefined && (cap.tl === undefined || !cap.tl.every((t) => covers(p.tl, t))))
      throw new EscalationError(`capability ${k} covers timelines its parent does not`)
    if (cap.exp > p.exp) throw new EscalationError(`capability ${k} outlives its parent`)
    if (p.nbf !== undefined && (cap.nbf === undefined || cap.nbf < p.nbf))
      throw new EscalationError(`capability ${k} starts before its parent`)
  }
  const leaf = chain[chain.length - 1]!
  const l = leaf.capability
  if (!bytesEqual(l.aud, use.actor)) throw new UnauthorizedError('the capability is granted to another account')
  if (!l.ops.includes(use.op)) throw new UnauthorizedError(`the capability does not grant ${use.op}`)
  if (use.timeline === undefined ? l.tl !== undefined : !covers(l.tl, use.timeline))
    throw new UnauthorizedError('the capability does not cover this timeline')
  return leaf
}

/** Header form of a chain: base64url (no padding) of a DAG-CBOR list of {cap: bytes, seal}. */
export function encodeCapabilityChain(chain: readonly SignedCapability[]): string {
  return base64url.baseEncode(encodeCapabilityList(chain))
}

/** The DAG-CBOR list of {cap, seal} that the header form and binary request bodies carry. */
export function encodeCapabilityList(chain: readonly SignedCapability[]): Uint8Array {
  return encodeCanonical(chain.map((c) => ({ cap: c.bytes, seal: c.seal })))
}

/** Parses a decoded list of {cap, seal} (from a header or a binary body). */
export function parseCapabilityList(value: unknown): SignedCapability[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CHAIN)
    throw new InvalidInputError(`a capability chain is a list of 1–${MAX_CHAIN} {cap, seal}`)
  return value.map((item) => {
    if (!isMap(item) || !(item.cap instanceof Uint8Array))
      throw new InvalidInputError('a capability chain entry is {cap: bytes, seal}')
    return decodeSignedCapability(item.cap, item.seal)
  })
}

export function decodeCapabilityChain(header: string): SignedCapability[] {
  if (header.length > 16 * 1024) throw new InvalidInputError('capability chain is too long')
  let bytes: Uint8Array
  try {
    bytes = base64url.baseDecode(header)
  } catch (err) {
    throw new InvalidInputError('capability chain is not base64url', { cause: err })
  }
  return parseCapabilityList(decodeCanonical(bytes, 16 * 1024))
}

export interface CapabilityJson {
  cid: string
  iss: string
  aud: string
  bucket: string
  tl?: string[]
  ops: CapabilityOp[]
  nbf?: number
  exp: number
  prf?: string
  nonce: string
  seal: SealJson
}

/** The JSON view people read: SS58 addresses and CID strings. */
export function capabilityToJson(c: SignedCapability, ss58Prefix?: number): CapabilityJson {
  const cap = c.capability
  const out: CapabilityJson = {
    cid: c.cid.toString(),
    iss: toAddress(cap.iss, ss58Prefix),
    aud: toAddress(cap.aud, ss58Prefix),
    bucket: cap.bucket,
    ops: cap.ops,
    exp: cap.exp,
    nonce: cap.nonce,
    seal: sealToJson(c.seal),
  }
  if (cap.tl) out.tl = cap.tl.map((t) => toAddress(t, ss58Prefix))
  if (cap.nbf !== undefined) out.nbf = cap.nbf
  if (cap.prf) out.prf = cap.prf.toString()
  return out
}
