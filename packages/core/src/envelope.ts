/**
 * The event envelope (DESIGN.md "Event and timeline"): one DAG-CBOR block per event, linked to the
 * previous one by CID. Encrypted scopes live in a separate `body` block so that deletion can erase
 * them while the envelope, its hash links and its anchors stay verifiable. The signature is not part
 * of the envelope but a seal beside it: a batch signer signs a tree over envelope CIDs, and inside a
 * batch each envelope names its predecessor's CID, so the signature cannot be inside what it signs.
 */
import { toAccountId, toAddress } from './address.js'
import { bytesEqual } from './bytes.js'
import { type CID, cidOf, parseCid } from './cid.js'
import { decodeCanonical, encodeCanonical } from './codec.js'
import { BadLinkError, InvalidInputError, UnsupportedVersionError } from './errors.js'
import { parseSeal, type Seal, type SealVerifier, sealBatch, verifySeal } from './seal.js'
import type { Signer } from './signer.js'

export const ENVELOPE_VERSION = 1
/** Event type of a deletion request; `pub.erase` lists envelope CIDs whose bodies to erase, or is `"all"`. */
export const TOMBSTONE_TYPE = 'ddc/tombstone'

/** Per-scope metadata written by the encryption module (standard module: the key epoch). */
export interface ScopeMeta {
  epoch: number
  kid?: string
}

export interface Envelope {
  v: 1
  bucket: string
  /** Timeline owner (AccountId32). */
  owner: Uint8Array
  seq: number
  prev: CID | null
  id: string
  type: string
  /** Client timestamp, milliseconds since the Unix epoch. */
  ts: number
  /** Unencrypted fields. */
  pub?: Record<string, unknown>
  /** Encryption module id (e.g. `xchacha20poly1305-blake2b-v1`). */
  enc?: string
  scopes?: Record<string, ScopeMeta>
  /** The block of sealed scopes (DAG-CBOR map scope → nonce‖ciphertext). */
  body?: CID
  /** The signing account when it is not the owner (a delegate). */
  signer?: Uint8Array
  /** The capability the delegate signs under. */
  cap?: CID
}

export interface SignedEvent {
  envelope: Envelope
  bytes: Uint8Array
  cid: CID
  seal: Seal
}

export const LIMITS = { bucket: 128, id: 128, type: 128, scopes: 64, scopeName: 64, envelopeBytes: 64 * 1024 }

const KEYS = new Set([
  'v',
  'bucket',
  'owner',
  'seq',
  'prev',
  'id',
  'type',
  'ts',
  'pub',
  'enc',
  'scopes',
  'body',
  'signer',
  'cap',
])
const NAME = /^[A-Za-z0-9._:/@-]+$/

function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || !NAME.test(v)) {
    throw new InvalidInputError(`envelope.${field} must be 1–${max} characters of [A-Za-z0-9._:/@-]`)
  }
  return v
}

function uint(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InvalidInputError(`envelope.${field} must be a non-negative integer`)
  return v
}

function link(v: unknown, field: string): CID {
  const c = v === null || v === undefined ? null : parseCid(v as CID)
  if (c?.version !== 1) throw new InvalidInputError(`envelope.${field} must be a CIDv1 link`)
  return c
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

/** Checks an untrusted decoded value against the envelope schema; returns it typed. */
export function parseEnvelope(value: unknown): Envelope {
  if (!isPlainObject(value)) throw new InvalidInputError('envelope must be a map')
  if (value.v !== ENVELOPE_VERSION)
    throw new UnsupportedVersionError(
      `envelope version ${String(value.v)} is not supported (expected ${ENVELOPE_VERSION})`,
    )
  for (const k of Object.keys(value))
    if (!KEYS.has(k)) throw new InvalidInputError(`envelope has unknown field ${JSON.stringify(k)}`)
  const env: Envelope = {
    v: 1,
    bucket: text(value.bucket, 'bucket', LIMITS.bucket),
    owner: toAccountId(value.owner as Uint8Array),
    seq: uint(value.seq, 'seq'),
    prev: value.prev === null ? null : link(value.prev, 'prev'),
    id: text(value.id, 'id', LIMITS.id),
    type: text(value.type, 'type', LIMITS.type),
    ts: uint(value.ts, 'ts'),
  }
  if (!(value.owner instanceof Uint8Array)) throw new InvalidInputError('envelope.owner must be 32 bytes')
  if ((env.seq === 0) !== (env.prev === null))
    throw new BadLinkError('envelope.prev must be null exactly when seq is 0')
  if (value.pub !== undefined) {
    if (!isPlainObject(value.pub)) throw new InvalidInputError('envelope.pub must be a map')
    env.pub = value.pub
  }
  if (value.enc !== undefined) env.enc = text(value.enc, 'enc', 64)
  if (value.scopes !== undefined) {
    if (!isPlainObject(value.scopes)) throw new InvalidInputError('envelope.scopes must be a map')
    const entries = Object.entries(value.scopes)
    if (entries.length > LIMITS.scopes) throw new InvalidInputError(`at most ${LIMITS.scopes} scopes per event`)
    env.scopes = {}
    for (const [name, meta] of entries) {
      text(name, 'scopes key', LIMITS.scopeName)
      if (!isPlainObject(meta)) throw new InvalidInputError(`envelope.scopes.${name} must be a map`)
      const m: ScopeMeta = { epoch: uint(meta.epoch, `scopes.${name}.epoch`) }
      if (meta.kid !== undefined) m.kid = text(meta.kid, `scopes.${name}.kid`, 128)
      for (const k of Object.keys(meta))
        if (k !== 'epoch' && k !== 'kid') throw new InvalidInputError(`envelope.scopes.${name} has unknown field ${k}`)
      env.scopes[name] = m
    }
  }
  if (value.body !== undefined) env.body = link(value.body, 'body')
  if ((env.body === undefined) !== (env.scopes === undefined))
    throw new InvalidInputError('envelope.body and envelope.scopes go together')
  if ((env.enc === undefined) !== (env.scopes === undefined))
    throw new InvalidInputError('envelope.enc names the module that sealed envelope.scopes')
  if (value.signer !== undefined) {
    if (!(value.signer instanceof Uint8Array)) throw new InvalidInputError('envelope.signer must be 32 bytes')
    env.signer = toAccountId(value.signer)
    if (bytesEqual(env.signer, env.owner))
      throw new InvalidInputError('envelope.signer is omitted when the owner signs')
  }
  if (value.cap !== undefined) env.cap = link(value.cap, 'cap')
  if (env.signer !== undefined && env.cap === undefined)
    throw new InvalidInputError('a delegate signer must name its capability (envelope.cap)')
  return env
}

/** Canonical bytes and CID of an envelope. Drops undefined optionals (DAG-CBOR has no undefined). */
export function encodeEnvelope(env: Envelope): { bytes: Uint8Array; cid: CID } {
  let clean: object = env
  for (const k in env) {
    if (env[k as keyof Envelope] === undefined) {
      clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined))
      break
    }
  }
  const bytes = encodeCanonical(clean)
  if (bytes.length > LIMITS.envelopeBytes)
    throw new InvalidInputError(`envelope of ${bytes.length} bytes exceeds ${LIMITS.envelopeBytes}`)
  return { bytes, cid: cidOf(bytes) }
}

/** Strictly decodes untrusted envelope bytes (canonical CBOR, schema) and computes their CID. */
export function decodeEnvelope(bytes: Uint8Array): { envelope: Envelope; cid: CID } {
  const envelope = parseEnvelope(decodeCanonical(bytes, LIMITS.envelopeBytes))
  return { envelope, cid: cidOf(bytes) }
}

/** The account whose signature an envelope needs: the delegate if named, else the owner. */
export const signerOf = (env: Envelope): Uint8Array => env.signer ?? env.owner

/** What an app supplies for one event; the timeline fields are filled in by `linkEvents`. */
export type EventDraft = Omit<Envelope, 'v' | 'seq' | 'prev'>

export interface Head {
  seq: number
  cid: CID
}

/** Chains drafts after `head` (null for an empty timeline): consecutive seq, each prev the CID before. */
export function linkEvents(
  head: Head | null,
  drafts: readonly EventDraft[],
): { envelope: Envelope; bytes: Uint8Array; cid: CID }[] {
  let seq = head ? head.seq + 1 : 0
  let prev = head ? head.cid : null
  return drafts.map((d) => {
    const envelope: Envelope = { v: 1, ...d, seq, prev } as Envelope
    const { bytes, cid } = encodeEnvelope(parseEnvelope(envelope))
    seq++
    prev = cid
    return { envelope, bytes, cid }
  })
}

/** Links and signs a batch with one signer call. Drafts may span several timelines. */
export async function signEvents(
  signer: Signer,
  items: { envelope: Envelope; bytes: Uint8Array; cid: CID }[],
): Promise<SignedEvent[]> {
  for (const it of items) {
    if (!bytesEqual(signerOf(it.envelope), signer.accountId)) {
      throw new InvalidInputError(
        `event ${it.envelope.id} names signer ${toAddress(signerOf(it.envelope))}, not ${signer.address}`,
      )
    }
  }
  const seals = await sealBatch(
    signer,
    'event',
    items.map((i) => i.cid),
  )
  return items.map((it, k) => ({ ...it, seal: seals[k]! }))
}

/** Verifies that the seal proves the entitled signer signed this exact envelope. */
export function verifyEvent(ev: { cid: CID; envelope: Envelope; seal: Seal }, verifier?: SealVerifier): void {
  verifySeal('event', ev.cid, ev.seal, signerOf(ev.envelope), verifier)
}

/** Throws unless `next` directly follows `prev` in the same timeline (null: next must be genesis). */
export function verifyLink(prev: { envelope: Envelope; cid: CID } | null, next: Envelope): void {
  if (prev === null) {
    if (next.seq !== 0 || next.prev !== null)
      throw new BadLinkError('the first event of a timeline has seq 0 and no prev')
    return
  }
  if (next.bucket !== prev.envelope.bucket || !bytesEqual(next.owner, prev.envelope.owner)) {
    throw new BadLinkError('event belongs to another timeline than its predecessor')
  }
  if (next.seq !== prev.envelope.seq + 1) throw new BadLinkError(`seq ${next.seq} does not follow ${prev.envelope.seq}`)
  if (!next.prev?.equals(prev.cid))
    throw new BadLinkError(`prev of seq ${next.seq} is not the CID of seq ${prev.envelope.seq}`)
}

/** Decodes a wire seal and the envelope bytes it travels with into a verified-shape SignedEvent. */
export function decodeSignedEvent(bytes: Uint8Array, seal: unknown): SignedEvent {
  const { envelope, cid } = decodeEnvelope(bytes)
  return { envelope, bytes, cid, seal: parseSeal(seal) }
}

export interface EnvelopeJson {
  v: 1
  bucket: string
  owner: string
  seq: number
  prev: string | null
  id: string
  type: string
  ts: number
  pub?: Record<string, unknown>
  enc?: string
  scopes?: Record<string, ScopeMeta>
  body?: string
  signer?: string
  cap?: string
}

/** The JSON view people read: SS58 addresses (given prefix) and CID strings. */
export function envelopeToJson(env: Envelope, ss58Prefix?: number): EnvelopeJson {
  const out: EnvelopeJson = {
    v: 1,
    bucket: env.bucket,
    owner: toAddress(env.owner, ss58Prefix),
    seq: env.seq,
    prev: env.prev ? env.prev.toString() : null,
    id: env.id,
    type: env.type,
    ts: env.ts,
  }
  if (env.pub) out.pub = env.pub
  if (env.enc) out.enc = env.enc
  if (env.scopes) out.scopes = env.scopes
  if (env.body) out.body = env.body.toString()
  if (env.signer) out.signer = toAddress(env.signer, ss58Prefix)
  if (env.cap) out.cap = env.cap.toString()
  return out
}

export function envelopeFromJson(json: EnvelopeJson): Envelope {
  const raw: Record<string, unknown> = {
    ...json,
    owner: toAccountId(json.owner),
    prev: json.prev === null ? null : parseCid(json.prev),
  }
  if (json.body !== undefined) raw.body = parseCid(json.body)
  if (json.signer !== undefined) raw.signer = toAccountId(json.signer)
  if (json.cap !== undefined) raw.cap = parseCid(json.cap)
  return parseEnvelope(raw)
}
