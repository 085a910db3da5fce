/**
 * Reading timelines: request parameters (owner, cursor) into store queries, and stored events into
 * the two response forms — JSON for people (envelope JSON view, base64 body) and DAG-CBOR for
 * programs, which is the append format plus `redacted`, so a reader re-verifies exactly what a
 * writer sent. Blocks come back from the store already checked against their CIDs.
 */

import {
  type CID,
  type Envelope,
  envelopeToJson,
  fromHex,
  InvalidInputError,
  parseEnvelope,
  type Seal,
  sealToJson,
  toAccountId,
  UnavailableError,
  verifyBlock,
} from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import type { QueryCursor, StoredEvent, TimelineStore } from './store/types.js'

export function parseOwner(text: string): Uint8Array {
  return text.startsWith('0x') ? fromHex(text, 32) : toAccountId(text)
}

/** Cursors are short text: `s<seq>` on seq order, `t<ts>.<seq>` on client-timestamp order. */
export function encodeCursor(c: QueryCursor): string {
  return c.ts === undefined ? `s${c.seq}` : `t${c.ts}.${c.seq}`
}

export function decodeCursor(text: string): QueryCursor {
  const m = /^(?:s(\d{1,16})|t(\d{1,16})\.(\d{1,16}))$/.exec(text)
  if (!m) throw new InvalidInputError('cursor is not one this node handed out')
  return m[1] !== undefined ? { seq: Number(m[1]) } : { ts: Number(m[2]), seq: Number(m[3]) }
}

export interface FullEvent {
  seq: number
  cid: CID
  seal: Seal
  bytes: Uint8Array
  envelope: Envelope
  body?: Uint8Array
  redacted: boolean
}

/**
 * Loads envelopes and bodies for stored events (two batched reads). Envelopes were checked in full
 * on the way in and their bytes are checked against their CIDs on the way out, so reading one needs
 * a plain decode and the schema, not the canonical re-encoding (a third of the read cost).
 */
export async function loadEvents(
  store: TimelineStore,
  stored: readonly StoredEvent[],
  withBody = true,
): Promise<FullEvent[]> {
  const needEnv = stored.filter((s) => s.env === undefined)
  const envs = await store.getBlocks(needEnv.map((s) => s.cid))
  const fetched = new Map(needEnv.map((s, k) => [s, envs[k]?.bytes]))
  const events = stored.map((s) => {
    const bytes = s.env ?? fetched.get(s)
    if (!bytes) throw new UnavailableError(`envelope ${s.cid} is indexed but missing from the store`)
    if (s.env) checked(s.cid, bytes)
    const { env: _e, body: _b, ...rest } = s
    return { ...rest, bytes, envelope: parseEnvelope(dagCbor.decode(bytes)), redacted: false } as FullEvent
  })
  const wanted = events.filter((e, k) => e.envelope.body && stored[k]!.body === undefined)
  const bodies = await store.getBlocks(wanted.map((e) => e.envelope.body!))
  const byEvent = new Map(wanted.map((e, k) => [e, bodies[k]?.bytes ?? null]))
  events.forEach((e, k) => {
    if (!e.envelope.body) return
    const given = stored[k]!.body
    const body = given === undefined ? byEvent.get(e) : given
    if (!body) e.redacted = true
    else if (withBody) e.body = given === undefined ? body : checked(e.envelope.body, body)
  })
  return events
}

/** Blocks an engine hands over directly are checked here, like getBlocks checks its own. */
function checked(cid: CID, bytes: Uint8Array): Uint8Array {
  try {
    verifyBlock(cid, bytes)
  } catch (err) {
    throw new UnavailableError(`stored block ${cid} is corrupt; this node cannot serve it`, { cause: err })
  }
  return bytes
}

export function bytesOf(events: readonly FullEvent[]): number {
  return events.reduce((n, e) => n + e.bytes.length + (e.body?.length ?? 0), 0)
}

export function eventJson(e: FullEvent, ss58Prefix: number) {
  return {
    cid: e.cid.toString(),
    seq: e.seq,
    envelope: envelopeToJson(e.envelope, ss58Prefix) as unknown as Record<string, unknown>,
    seal: sealToJson(e.seal),
    ...(e.body ? { body: Buffer.from(e.body).toString('base64') } : {}),
    redacted: e.redacted,
  }
}

export function eventCbor(e: FullEvent) {
  return {
    env: e.bytes,
    seal: e.seal,
    ...(e.body ? { body: e.body } : {}),
    ...(e.redacted ? { redacted: true } : {}),
  }
}

// --- DAG-CBOR pages, written directly -----------------------------------------------------------
// A general encoder walks every value, allocates per item and copies each byte string into its own
// chunks; a page has one fixed shape, so it is written here in canonical form (map keys ordered by
// length, then bytes) into one buffer sized up front. timeline.test.ts checks it against
// encodeCanonical.

const headSize = (n: number) => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5)

class PageWriter {
  at = 0
  constructor(readonly b: Buffer) {}
  head(major: number, n: number): void {
    const b = this.b
    const m = major << 5
    if (n < 24) b[this.at++] = m | n
    else if (n < 0x100) {
      b[this.at++] = m | 24
      b[this.at++] = n
    } else if (n < 0x10000) {
      b[this.at++] = m | 25
      b.writeUInt16BE(n, this.at)
      this.at += 2
    } else {
      b[this.at++] = m | 26
      b.writeUInt32BE(n, this.at)
      this.at += 4
    }
  }
  raw(bytes: Uint8Array): void {
    this.b.set(bytes, this.at)
    this.at += bytes.length
  }
  bytes(bytes: Uint8Array): void {
    this.head(2, bytes.length)
    this.raw(bytes)
  }
}

/** A text string's canonical encoding (keys are ASCII). */
const key = (k: string) => Uint8Array.from([0x60 | k.length, ...Buffer.from(k)])
const KEYS = {
  env: key('env'),
  body: key('body'),
  seal: key('seal'),
  redacted: key('redacted'),
  i: key('i'),
  n: key('n'),
  sig: key('sig'),
  path: key('path'),
  scheme: key('scheme'),
  events: key('events'),
  next: key('next'),
}
const SCHEMES = new Map(
  ['sr25519', 'ed25519', 'ecdsa'].map((s) => [s, Buffer.concat([Buffer.of(0x60 | s.length), Buffer.from(s)])]),
)

function eventSize(e: FullEvent): number {
  const s = e.seal
  const bytes = (n: number) => headSize(n) + n
  let size = 1 + KEYS.env.length + bytes(e.bytes.length) + KEYS.seal.length
  size += 1 + KEYS.i.length + headSize(s.i) + KEYS.n.length + headSize(s.n) + KEYS.sig.length + bytes(s.sig.length)
  size += KEYS.path.length + headSize(s.path.length) + s.path.reduce((n, p) => n + bytes(p.length), 0)
  size += KEYS.scheme.length + SCHEMES.get(s.scheme)!.length
  if (e.body) size += KEYS.body.length + bytes(e.body.length)
  if (e.redacted) size += KEYS.redacted.length + 1
  return size
}

function writeEvent(w: PageWriter, e: FullEvent): void {
  const s = e.seal
  w.head(5, 2 + (e.body ? 1 : 0) + (e.redacted ? 1 : 0))
  w.raw(KEYS.env)
  w.bytes(e.bytes)
  if (e.body) {
    w.raw(KEYS.body)
    w.bytes(e.body)
  }
  w.raw(KEYS.seal)
  w.head(5, 5)
  w.raw(KEYS.i)
  w.head(0, s.i)
  w.raw(KEYS.n)
  w.head(0, s.n)
  w.raw(KEYS.sig)
  w.bytes(s.sig)
  w.raw(KEYS.path)
  w.head(4, s.path.length)
  for (const p of s.path) w.bytes(p)
  w.raw(KEYS.scheme)
  w.raw(SCHEMES.get(s.scheme)!)
  if (e.redacted) {
    w.raw(KEYS.redacted)
    w.raw(Uint8Array.of(0xf5))
  }
}

/** `{events: [{env, seal, body?, redacted?}], next?}` as canonical DAG-CBOR. */
export function cborPage(events: readonly FullEvent[], next?: string): Buffer {
  const nextText = next === undefined ? undefined : Buffer.from(next, 'utf8')
  let size = 1 + KEYS.events.length + headSize(events.length)
  if (nextText) size += KEYS.next.length + headSize(nextText.length) + nextText.length
  for (const e of events) size += eventSize(e)
  const w = new PageWriter(Buffer.allocUnsafe(size))
  w.head(5, nextText ? 2 : 1)
  if (nextText) {
    w.raw(KEYS.next)
    w.head(3, nextText.length)
    w.raw(nextText)
  }
  w.raw(KEYS.events)
  w.head(4, events.length)
  for (const e of events) writeEvent(w, e)
  return w.b
}

/** One event `{env, seal, body?, redacted?}` as canonical DAG-CBOR. */
export function cborEvent(e: FullEvent): Buffer {
  const w = new PageWriter(Buffer.allocUnsafe(eventSize(e)))
  writeEvent(w, e)
  return w.b
}
