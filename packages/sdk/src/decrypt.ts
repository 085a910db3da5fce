/**
 * From what a node answers to what an app reads: every event is checked (envelope decodes
 * canonically, its CID is computed from the bytes, the body block matches the CID the envelope
 * names, the seal proves the entitled signer signed it, it belongs to the timeline asked for), then
 * decrypted with the keys held. A check that fails throws the core error (ERR_CID_MISMATCH,
 * ERR_BAD_SIGNATURE, ERR_BAD_PROOF, ERR_BAD_LINK …) with `details.node` and `details.cid`.
 */
import {
  bytesEqual,
  type CID,
  CidMismatchError,
  cidOf,
  DdcError,
  decodeSignedEvent,
  type Envelope,
  InvalidInputError,
  type Seal,
  type SealVerifier,
  type SignedEvent,
  signerOf,
  TOMBSTONE_TYPE,
  toAddress,
  verifyEvent,
} from '@ddc/core'
import { decryptEvent, type EncryptionModule, type KeySource, type LockReason } from '@ddc/crypto'

/** One event as a node sends it in DAG-CBOR (the append format plus `redacted`). */
export interface WireEvent {
  env: Uint8Array
  seal: unknown
  body?: Uint8Array
  redacted?: boolean
}

export interface ReadEvent {
  cid: CID
  seq: number
  id: string
  type: string
  ts: number
  bucket: string
  /** Timeline owner, SS58. */
  owner: string
  /** Who signed (the owner, or a delegate), SS58. */
  signer: string
  /** pub merged with every scope that opened. */
  data: Record<string, unknown>
  opened: string[]
  locked: { scope: string; reason: LockReason }[]
  /** A tombstone erased this event's body. */
  redacted: boolean
  envelope: Envelope
  seal: Seal
  /** The envelope bytes exactly as stored (what the CID names). */
  bytes: Uint8Array
}

/** Adds where it happened to an error raised while checking a node's answer. */
export function blame(err: unknown, details: Record<string, unknown>): never {
  if (err instanceof DdcError) {
    Object.defineProperty(err, 'details', { value: { ...err.details, ...details }, enumerable: true })
    throw err
  }
  throw err
}

export interface CheckedEvent extends SignedEvent {
  body?: Uint8Array
  redacted: boolean
}

/** Decodes and verifies one wire event; `expect` pins the timeline it must belong to. */
export function checkWireEvent(
  raw: WireEvent,
  node: string,
  seals: SealVerifier,
  expect?: { bucket: string; owner: Uint8Array },
): CheckedEvent {
  let ev: SignedEvent
  try {
    if (!raw || !(raw.env instanceof Uint8Array)) throw new InvalidInputError('event without envelope bytes')
    ev = decodeSignedEvent(raw.env, raw.seal)
  } catch (err) {
    return blame(err, { node })
  }
  const where = { node, cid: ev.cid.toString(), seq: ev.envelope.seq }
  try {
    if (expect && (ev.envelope.bucket !== expect.bucket || !bytesEqual(ev.envelope.owner, expect.owner)))
      throw new CidMismatchError(`event ${ev.cid} belongs to another timeline than the one asked for`)
    if (raw.body !== undefined) {
      if (!(raw.body instanceof Uint8Array) || !ev.envelope.body || !cidOf(raw.body).equals(ev.envelope.body))
        throw new CidMismatchError(`body block of event ${ev.cid} does not match the CID its envelope names`)
    }
    verifyEvent(ev, seals)
  } catch (err) {
    return blame(err, where)
  }
  const out: CheckedEvent = { ...ev, redacted: raw.redacted === true }
  if (raw.body) out.body = raw.body
  return out
}

const NO_KEYS: KeySource = { userScopeKey: () => undefined }

/** Opens what the keys allow; never throws for a scope that stays shut. */
export async function openEvent(
  ev: CheckedEvent,
  modules: readonly EncryptionModule[],
  keys: KeySource | undefined,
): Promise<ReadEvent> {
  const env = ev.envelope
  let data: Record<string, unknown> = { ...env.pub }
  let opened: string[] = []
  let locked: { scope: string; reason: LockReason }[] = []
  const scopes = Object.keys(env.scopes ?? {})
  if (env.enc !== undefined && ev.body && !ev.redacted) {
    try {
      const d = await decryptEvent(modules, env, ev.body, keys ?? NO_KEYS)
      data = d.data
      opened = d.opened
      locked = d.locked
    } catch {
      locked = scopes.map((scope) => ({ scope, reason: 'no-key' as const }))
    }
  } else if (!ev.redacted) {
    locked = scopes.map((scope) => ({ scope, reason: 'no-key' as const }))
  }
  return {
    cid: ev.cid,
    seq: env.seq,
    id: env.id,
    type: env.type,
    ts: env.ts,
    bucket: env.bucket,
    owner: toAddress(env.owner),
    signer: toAddress(signerOf(env)),
    data,
    opened,
    locked,
    redacted: ev.redacted,
    envelope: env,
    seal: ev.seal,
    bytes: ev.bytes,
  }
}

export const isTombstone = (e: { type: string }) => e.type === TOMBSTONE_TYPE
