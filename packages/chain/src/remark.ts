/**
 * The text DDC puts in a Substrate `system.remarkWithEvent`: short, versioned, readable in any block
 * explorer, and parsed strictly so that one remark has exactly one meaning.
 *
 *   ddc:anchor:v1:<root CID>:<count>[:<period>]   an anchor (DESIGN.md "Anchoring")
 *   ddc:cid:v1:<CID>                              an event that also goes on chain
 *
 * CIDs are CIDv1 sha2-256 (dag-cbor or raw) in their canonical base32 text; numbers are decimal
 * without leading zeros. Anything else that starts with `ddc:` is refused as malformed.
 */
import { type CID, DAG_CBOR, fromUtf8, InvalidInputError, parseCid, RAW, utf8 } from '@ddc/core'
import type { AnchorPayload } from './chain.js'

export const REMARK_PREFIX = 'ddc:'
/** Longest remark DDC writes or accepts (a base32 CIDv1 is 59 characters). */
export const MAX_REMARK_BYTES = 160

export type DdcRemark = { type: 'anchor'; anchor: AnchorPayload } | { type: 'cid'; cid: CID }

const COUNT = /^[1-9][0-9]{0,14}$/
const PERIOD = /^(0|[1-9][0-9]{0,14})$/

function checkCid(cid: CID): CID {
  if (cid.version !== 1 || cid.multihash.code !== 0x12 || (cid.code !== DAG_CBOR && cid.code !== RAW)) {
    throw new InvalidInputError(`remark CID ${cid} is not CIDv1 sha2-256 dag-cbor/raw`)
  }
  return cid
}

function cidField(text: string): CID {
  let parsed: CID
  try {
    parsed = parseCid(text)
  } catch {
    throw new InvalidInputError(`remark CID ${JSON.stringify(text.slice(0, 80))} does not parse`)
  }
  const cid = checkCid(parsed)
  if (cid.toString() !== text) throw new InvalidInputError('remark CID must be in canonical base32 form')
  return cid
}

export function formatAnchorRemark(anchor: { root: CID; count: number; period?: number }): string {
  if (!Number.isSafeInteger(anchor.count) || anchor.count < 1) {
    throw new InvalidInputError('an anchor covers at least one timeline head')
  }
  if (anchor.period !== undefined && (!Number.isSafeInteger(anchor.period) || anchor.period < 0)) {
    throw new InvalidInputError('an anchor period is a non-negative integer')
  }
  const base = `ddc:anchor:v1:${checkCid(anchor.root).toString()}:${anchor.count}`
  return anchor.period === undefined ? base : `${base}:${anchor.period}`
}

export function formatCidRemark(cid: CID): string {
  return `ddc:cid:v1:${checkCid(cid).toString()}`
}

/** Parses a DDC remark; throws InvalidInputError for anything malformed (including non-DDC text). */
export function parseRemark(input: string | Uint8Array): DdcRemark {
  const bytes = typeof input === 'string' ? utf8(input) : input
  if (bytes.length > MAX_REMARK_BYTES) throw new InvalidInputError(`remark longer than ${MAX_REMARK_BYTES} bytes`)
  let text: string
  try {
    text = typeof input === 'string' ? input : fromUtf8(bytes)
  } catch {
    throw new InvalidInputError('remark is not UTF-8')
  }
  const parts = text.split(':')
  if (parts[0] !== 'ddc') throw new InvalidInputError('not a DDC remark (expected the ddc: prefix)')
  if (parts[2] !== 'v1') throw new InvalidInputError(`unsupported DDC remark version ${JSON.stringify(parts[2])}`)
  if (parts[1] === 'anchor') {
    if (parts.length !== 5 && parts.length !== 6) throw new InvalidInputError('ddc:anchor:v1 takes root:count[:period]')
    const [, , , root, count, period] = parts as [string, string, string, string, string, string?]
    if (!COUNT.test(count)) throw new InvalidInputError('anchor count must be a positive decimal integer')
    if (period !== undefined && !PERIOD.test(period)) throw new InvalidInputError('anchor period must be decimal')
    const anchor: AnchorPayload = { kind: 'ddc-anchor', v: 1, root: cidField(root), count: Number(count) }
    if (period !== undefined) anchor.period = Number(period)
    return { type: 'anchor', anchor }
  }
  if (parts[1] === 'cid') {
    if (parts.length !== 4) throw new InvalidInputError('ddc:cid:v1 takes exactly one CID')
    return { type: 'cid', cid: cidField(parts[3]!) }
  }
  throw new InvalidInputError(`unknown DDC remark kind ${JSON.stringify(parts[1])}`)
}

/** Like parseRemark, but answers undefined for anything that is not a well-formed DDC remark. */
export function tryParseRemark(input: string | Uint8Array): DdcRemark | undefined {
  try {
    return parseRemark(input)
  } catch {
    return undefined
  }
}
