/**
 * The CPU-heavy half of ingest, run on worker threads. `decodeRequest` takes the DAG-CBOR append
 * body as received and does everything but signature checks: strict canonical decode of each
 * envelope (core decodeEnvelope), its CID, the body block against `envelope.body`, the seal's shape,
 * and one partial tree per batch to find each batch's root — which yields the list of distinct
 * signature checks. `verifyChecks` then runs those checks (sr25519 ≈ 0.3 ms each), spread over all
 * workers by the pool. Results cross the thread boundary packed (packing.ts).
 */
import {
  BadSignatureError,
  bytesEqual,
  type CID,
  type DdcError,
  decodeEnvelope,
  errorFromJson,
  InvalidInputError,
  isDdcError,
  parseCid,
  parseSeal,
  type Seal,
  type SigScheme,
  sealMessage,
  TOMBSTONE_TYPE,
  toAddress,
  verifyBlock,
  verifySignature,
} from '@ddc/core'
import { type BodyEvent, readAppendBody } from './append-body.js'
import { groupRoot } from './batch-tree.js'

/** One event, decoded and checked except for its signature. Byte fields may be views. */
export interface DecodedEvent {
  cid: Uint8Array
  bucket: string
  owner: Uint8Array
  seq: number
  prev: Uint8Array | null
  type: string
  ts: number
  /** CID bytes of the body block, when the envelope names one. */
  body: Uint8Array | null
  signer: Uint8Array | null
  cap: Uint8Array | null
  /** Tombstones only: envelope CIDs whose bodies to erase, or every earlier event. */
  erase?: 'all' | Uint8Array[]
  env: Uint8Array
  bodyBytes: Uint8Array | null
  seal: Seal
}

/** One distinct signature to check: `index` is the first event that relies on it. */
export interface SigCheck {
  scheme: SigScheme
  signer: Uint8Array
  message: Uint8Array
  sig: Uint8Array
  index: number
}

export interface DecodedRequest {
  events: DecodedEvent[]
  checks: SigCheck[]
  /** The `caps` of a map-form request, undecoded (the main thread parses capability chains). */
  caps?: unknown
}

export interface DecodeOptions {
  /**
   * Accept an event whose body block is absent (`bodyBytes` null) — only for a range fetched from a
   * cluster peer, where a tombstone may have erased it; ingest then requires a tombstone in the same
   * request that erases it (tombstone.ts requireErased).
   */
  allowErased?: boolean
}

export const MISSING_BODY = 'the body block named by envelope.body is missing'

/** Most envelopes one tombstone may name (larger erasures use "all" or several tombstones). */
export const MAX_ERASE = 10_000

/** Rethrows a typed error with the event's index in its message and details. */
export function atIndex(err: unknown, index: number): never {
  if (!isDdcError(err)) throw err
  const e = err as DdcError
  throw errorFromJson({ code: e.code, message: `event ${index}: ${e.message}`, details: { ...e.details, index } })
}

function eraseList(pub: Record<string, unknown> | undefined): 'all' | Uint8Array[] {
  const erase = pub?.erase
  if (erase === 'all') return 'all'
  if (!Array.isArray(erase) || erase.length === 0 || erase.length > MAX_ERASE)
    throw new InvalidInputError(`a tombstone's pub.erase is "all" or a list of 1–${MAX_ERASE} envelope CIDs`)
  return erase.map((c) => {
    const cid = parseCid(c as CID | string)
    if (cid.version !== 1) throw new InvalidInputError('pub.erase names CIDv1 envelopes')
    return cid.bytes
  })
}

function decodeOne(item: BodyEvent, opts: DecodeOptions): DecodedEvent {
  const body = item.body
  const { envelope, cid } = decodeEnvelope(item.env)
  const seal = parseSeal(item.seal)
  if (envelope.body) {
    if (body) verifyBlock(envelope.body, body)
    else if (!opts.allowErased) throw new InvalidInputError(MISSING_BODY)
  } else if (body !== undefined) {
    throw new InvalidInputError('a body block was sent for an envelope without body')
  }
  const ev: DecodedEvent = {
    cid: cid.bytes,
    bucket: envelope.bucket,
    owner: envelope.owner,
    seq: envelope.seq,
    prev: envelope.prev ? envelope.prev.bytes : null,
    type: envelope.type,
    ts: envelope.ts,
    body: envelope.body ? envelope.body.bytes : null,
    signer: envelope.signer ?? null,
    cap: envelope.cap ? envelope.cap.bytes : null,
    env: item.env,
    bodyBytes: body ?? null,
    seal,
  }
  if (envelope.type === TOMBSTONE_TYPE) ev.erase = eraseList(envelope.pub)
  return ev
}

/**
 * Decodes an append body (a list of events, or {events, caps}) and finds its signature checks. Byte
 * fields of the result are views into `raw`.
 */
export function decodeRequest(raw: Uint8Array, maxEvents: number, opts: DecodeOptions = {}): DecodedRequest {
  const body = readAppendBody(raw, maxEvents)
  if (body.events.length === 0) throw new InvalidInputError('an append carries at least one event')
  const events: DecodedEvent[] = []
  for (let k = 0; k < body.events.length; k++) {
    try {
      events.push(decodeOne(body.events[k]!, opts))
    } catch (err) {
      atIndex(err, k)
    }
  }
  const out: DecodedRequest = { events, checks: sealChecks(events) }
  if (body.caps !== undefined) out.caps = body.caps
  return out
}

/** Groups events by batch signature and computes each group's root (one partial tree per batch). */
function sealChecks(events: readonly DecodedEvent[]): SigCheck[] {
  const groups = new Map<string, number[]>()
  let last: { seal: Seal; members: number[] } | undefined
  for (let k = 0; k < events.length; k++) {
    const s = events[k]!.seal
    // Events of one batch arrive together: compare with the previous seal before keying by hex.
    if (last && last.seal.n === s.n && last.seal.scheme === s.scheme && bytesEqual(last.seal.sig, s.sig)) {
      last.members.push(k)
      continue
    }
    const key = `${s.scheme}|${s.n}|${Buffer.from(s.sig.buffer, s.sig.byteOffset, s.sig.length).toString('hex')}`
    const g = groups.get(key) ?? []
    if (g.length === 0) groups.set(key, g)
    g.push(k)
    last = { seal: s, members: g }
  }
  const checks: SigCheck[] = []
  for (const members of groups.values()) {
    const index = members[0]!
    const first = events[index]!
    const signer = first.signer ?? first.owner
    for (const k of members) {
      const e = events[k]!
      if (!bytesEqual(e.signer ?? e.owner, signer))
        atIndex(new BadSignatureError('events sealed by one signature name different signers'), k)
    }
    const { scheme, sig, n } = first.seal
    let root: Uint8Array
    try {
      root = groupRoot(
        n,
        members.map((k) => ({ i: events[k]!.seal.i, leaf: events[k]!.cid, path: events[k]!.seal.path })),
      )
    } catch (err) {
      atIndex(err, index)
    }
    checks.push({ scheme, signer, message: sealMessage('event', n, root), sig, index })
  }
  return checks
}

/** Runs signature checks; throws BadSignatureError for the first that fails (with its event index). */
export function verifyChecks(checks: readonly SigCheck[]): void {
  for (const c of checks) {
    if (!verifySignature(c.scheme, c.signer, c.message, c.sig))
      atIndex(
        new BadSignatureError(
          `not signed by ${toAddress(c.signer)}: the ${c.scheme} signature over its batch root does not verify`,
        ),
        c.index,
      )
  }
}
