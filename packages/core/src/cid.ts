/**
 * CIDv1 with sha2-256, what every IPFS tool reads: dag-cbor for structure, raw for ciphertext blobs.
 * Anything read back from storage or the network is checked against its CID here.
 */
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from '#hash'
import { bytesEqual } from './bytes.js'
import { CidMismatchError } from './errors.js'

export { CID }

export const DAG_CBOR = 0x71
export const RAW = 0x55
const SHA2_256 = 0x12

export function cidOf(bytes: Uint8Array, codec: typeof DAG_CBOR | typeof RAW = DAG_CBOR): CID {
  // One allocation: [version, codec, sha2-256, 32] ‖ digest (every varint here fits one byte).
  const out = new Uint8Array(36)
  out.set([1, codec, SHA2_256, 32], 0)
  out.set(sha256(bytes), 4)
  const digest = new Digest.Digest(SHA2_256, 32, out.subarray(4), out.subarray(2))
  return new CID(1, codec, digest, out) as CID
}

/**
 * CID.decode with a fast path for DDC's own form (v1, one-byte codec, sha2-256): the general decoder
 * re-encodes the bytes it has just parsed, which showed on the ingest and read paths. The bytes are
 * kept as a view (not copied); throws like CID.decode on anything malformed.
 */
export function decodeCid(input: Uint8Array): CID {
  if (input.length === 36 && input[0] === 1 && input[1]! < 0x80 && input[2] === SHA2_256 && input[3] === 32) {
    // A plain Uint8Array view even over a Buffer, as CID.decode gives (CIDs compare structurally).
    const bytes = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, 36)
    return new CID(1, bytes[1]!, new Digest.Digest(SHA2_256, 32, bytes.subarray(4), bytes.subarray(2)), bytes) as CID
  }
  return CID.decode(input)
}

export function parseCid(input: string | Uint8Array | CID): CID {
  const asCid = CID.asCID(input)
  if (asCid) return asCid
  try {
    return typeof input === 'string' ? CID.parse(input) : CID.decode(input as Uint8Array)
  } catch (err) {
    throw new CidMismatchError(`not a valid CID: ${(err as Error).message}`, { cause: err })
  }
}

/** Throws unless `bytes` hash to `cid` (v1, sha2-256, dag-cbor or raw). */
export function verifyBlock(cid: CID, bytes: Uint8Array): void {
  if (cid.version !== 1 || cid.multihash.code !== SHA2_256 || (cid.code !== DAG_CBOR && cid.code !== RAW)) {
    throw new CidMismatchError(`unsupported CID ${cid}: DDC uses CIDv1, sha2-256, dag-cbor or raw`)
  }
  if (!bytesEqual(sha256(bytes), cid.multihash.digest)) {
    throw new CidMismatchError(`bytes do not match CID ${cid}`)
  }
}
