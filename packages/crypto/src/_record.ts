/**
 * Signed records (grants, key announcements): canonical DAG-CBOR bytes, their CID, and a core seal
 * by the account the record names. Stored and sent as (bytes, seal); the record is re-derived from
 * the bytes on receipt, never trusted from a side channel.
 */
import {
  type CID,
  cidOf,
  decodeCanonical,
  encodeCanonical,
  InvalidInputError,
  parseSeal,
  type Seal,
  type SealKind,
  type Signer,
  sealOne,
  verifySeal,
} from '@ddc/core'

export interface Signed<T> {
  record: T
  /** Canonical DAG-CBOR of `record`; what is stored and what `cid` names. */
  bytes: Uint8Array
  cid: CID
  seal: Seal
}

export async function signRecord<T>(signer: Signer, kind: SealKind, record: T): Promise<Signed<T>> {
  const bytes = encodeCanonical(dropUndefined(record))
  const cid = cidOf(bytes)
  return { record, bytes, cid, seal: await sealOne(signer, kind, cid) }
}

/** Strictly decodes `bytes`, parses the record and checks that `signerOf(record)` sealed it. */
export function openSigned<T>(
  input: { bytes: Uint8Array; seal: unknown },
  kind: SealKind,
  parse: (value: unknown) => T,
  signerOf: (record: T) => Uint8Array,
): Signed<T> {
  if (!input || !(input.bytes instanceof Uint8Array))
    throw new InvalidInputError(`a signed ${kind} record is { bytes, seal }`)
  const record = parse(decodeCanonical(input.bytes))
  const cid = cidOf(input.bytes)
  const seal = parseSeal(input.seal)
  verifySeal(kind, cid, seal, signerOf(record))
  return { record, bytes: input.bytes, cid, seal }
}

/** DAG-CBOR has no undefined: optional fields that are absent must not be there at all. */
export function dropUndefined<T>(record: T): T {
  return Object.fromEntries(Object.entries(record as Record<string, unknown>).filter(([, v]) => v !== undefined)) as T
}
