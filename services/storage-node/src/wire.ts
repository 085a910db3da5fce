/**
 * Append request bodies (README "Append formats"). Three encodings of one thing — a list of events,
 * each the canonical envelope bytes, its seal and its body block, plus the capability chains that
 * delegate signers need:
 *  - `application/vnd.ipld.dag-cbor`: a list of {env, seal, body?}, or {events: [...], caps?: [[{cap, seal}]]}
 *  - `application/json`: {events: [{envelope: base64, seal: SealJson, body?: base64}], capabilities?: [chain header]}
 *  - `application/vnd.ipld.car`: CAR v1 whose first root is {events: [{env: CID, body?: CID, seal}], caps?: [[{cap: CID, seal}]]}
 * JSON carries the canonical bytes (base64) rather than DAG-JSON: the CID and the signature are over
 * those bytes, so a client cannot be surprised by a re-encoding.
 */

import {
  CID,
  CidMismatchError,
  DdcError,
  decodeCapabilityChain,
  encodeCanonical,
  InvalidInputError,
  parseCapabilityList,
  registerErrorClass,
  type SealJson,
  type SignedCapability,
  sealFromJson,
  TooLargeError,
  verifyBlock,
} from '@ddc/core'
import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { atIndex } from './decode-events.js'

/** One event as it arrives: canonical envelope bytes, its seal (decoded, unchecked) and body block. */
export interface WireEvent {
  env: Uint8Array
  seal: unknown
  body?: Uint8Array
}

export interface AppendRequest {
  /** DAG-CBOR bytes the verify workers decode (a list of events, or a map holding `events`). */
  raw: Uint8Array
  /** Capability chains sent outside `raw` (JSON body, CAR, header). */
  chains: SignedCapability[][]
  /** For CAR requests: the envelope CIDs the manifest claims, checked against the computed ones. */
  claimed?: CID[]
}

/** A request body in a media type this endpoint does not take. */
export class UnsupportedMediaTypeError extends DdcError {
  override readonly code = 'ERR_UNSUPPORTED_MEDIA_TYPE'
}
registerErrorClass(UnsupportedMediaTypeError)

export interface WireLimits {
  maxEvents: number
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !CID.asCID(v)
}

function eventsOf(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : isMap(value) ? value.events : undefined
  if (!Array.isArray(list)) throw new InvalidInputError('an append body is a list of events or {events: [...]}')
  return list
}

function checkCount(n: number, limits: WireLimits): void {
  if (n === 0) throw new InvalidInputError('an append carries at least one event')
  if (n > limits.maxEvents)
    throw new TooLargeError(`an append carries at most ${limits.maxEvents} events; split it into several requests`)
}

/** A DAG-CBOR body goes to the workers as it is; they decode it once (decode-events.ts). */
export function cborRequest(bytes: Uint8Array): AppendRequest {
  return { raw: bytes, chains: [] }
}

/** The `caps` of a map-form CBOR body, as the worker found it. */
export function parseCaps(value: unknown): SignedCapability[][] {
  if (!Array.isArray(value) || value.length > 64) throw new InvalidInputError('caps is a list of at most 64 chains')
  return value.map(parseCapabilityList)
}

export interface JsonAppend {
  events: { envelope: string; seal: SealJson; body?: string }[]
  capabilities?: string[]
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function base64(s: string, what: string, index: number): Uint8Array {
  if (s.length % 4 !== 0 || !BASE64.test(s))
    throw new InvalidInputError(`event ${index}: ${what} must be standard base64`, { details: { index } })
  const b = Buffer.from(s, 'base64')
  return new Uint8Array(b.buffer, b.byteOffset, b.length)
}

export function parseJsonRequest(body: JsonAppend, limits: WireLimits): AppendRequest {
  checkCount(body.events.length, limits)
  const events = body.events.map((e, index): WireEvent => {
    let seal: unknown
    try {
      seal = sealFromJson(e.seal)
    } catch (err) {
      atIndex(err, index)
    }
    const env = base64(e.envelope, 'envelope', index)
    return e.body === undefined ? { env, seal } : { env, seal, body: base64(e.body, 'body', index) }
  })
  const chains = (body.capabilities ?? []).map(decodeCapabilityChain)
  return { chains, raw: encodeCanonical(events) }
}

export async function parseCarRequest(bytes: Uint8Array, limits: WireLimits): Promise<AppendRequest> {
  let reader: CarReader
  try {
    reader = await CarReader.fromBytes(bytes)
  } catch (err) {
    throw new InvalidInputError(`append body is not a CAR v1: ${(err as Error).message}`, { cause: err })
  }
  const [root] = await reader.getRoots()
  if (!root) throw new InvalidInputError('the CAR names no root (the append manifest)')
  const block = async (cid: unknown, what: string): Promise<Uint8Array> => {
    const c = CID.asCID(cid)
    if (!c) throw new InvalidInputError(`${what} must be a CID link`)
    const b = await reader.get(c)
    if (!b) throw new InvalidInputError(`the CAR lacks block ${c} (${what})`)
    verifyBlock(c, b.bytes)
    return b.bytes
  }
  let manifest: unknown
  try {
    manifest = dagCbor.decode(await block(root, 'manifest'))
  } catch (err) {
    if (err instanceof CidMismatchError || err instanceof InvalidInputError) throw err
    throw new InvalidInputError('the CAR root is not a DAG-CBOR append manifest', { cause: err })
  }
  if (!isMap(manifest)) throw new InvalidInputError('the CAR root must be {events, caps?}')
  const list = eventsOf(manifest)
  checkCount(list.length, limits)
  const claimed: CID[] = []
  const events: WireEvent[] = []
  for (let index = 0; index < list.length; index++) {
    const e = list[index]
    if (!isMap(e)) throw new InvalidInputError(`event ${index} must be {env: CID, body?: CID, seal}`)
    claimed.push(CID.asCID(e.env) as CID)
    const env = await block(e.env, `event ${index} envelope`)
    events.push(
      e.body === undefined
        ? { env, seal: e.seal }
        : { env, seal: e.seal, body: await block(e.body, `event ${index} body`) },
    )
  }
  const chains: SignedCapability[][] = []
  if (manifest.caps !== undefined) {
    if (!Array.isArray(manifest.caps)) throw new InvalidInputError('caps is a list of chains')
    for (const chain of manifest.caps) {
      if (!Array.isArray(chain)) throw new InvalidInputError('a chain is a list of {cap: CID, seal}')
      const links = []
      for (const l of chain) {
        if (!isMap(l)) throw new InvalidInputError('a chain is a list of {cap: CID, seal}')
        links.push({ cap: await block(l.cap, 'capability'), seal: l.seal })
      }
      chains.push(parseCapabilityList(links))
    }
  }
  return { chains, raw: encodeCanonical(events), claimed }
}
