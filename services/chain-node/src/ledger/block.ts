/**
 * Blocks of the dev chain. The header commits to its parent, the state after the block (state root)
 * and its transactions (extrinsics root: the RFC 9162 Merkle root over their hashes, as in core's
 * batch trees); its hash is sha2-256 of the canonical DAG-CBOR header. The single authority signs
 * `ddc:v1:block:<hash hex>` (through signRaw, like every DDC signature).
 */

import { createHash } from 'node:crypto'
import { buildTree, encodeCanonical, fromHex, type LocalSigner, toHex, utf8 } from '@ddc/core'

export interface BlockHeader {
  number: number
  parentHash: Uint8Array
  stateRoot: Uint8Array
  extrinsicsRoot: Uint8Array
  timestamp: number
  author: Uint8Array
}

export interface StoredEvent {
  /** Hash of the transaction that emitted it (absent for block-level events). */
  tx?: string
  name: string
  data: Record<string, unknown>
}

export interface StoredBlock {
  header: BlockHeader
  hash: Uint8Array
  /** Authority's signature over `ddc:v1:block:<hash hex>`. */
  seal: Uint8Array
  txs: string[]
  events: StoredEvent[]
}

export interface StoredTx {
  hash: string
  bytes: Uint8Array
  block: number
  index: number
  fee: bigint
  events: StoredEvent[]
}

export const ZERO_HASH = new Uint8Array(32)

export function blockHash(header: BlockHeader): Uint8Array {
  return new Uint8Array(createHash('sha256').update(encodeCanonical(header)).digest())
}

export function extrinsicsRoot(txHashes: readonly string[]): Uint8Array {
  return txHashes.length === 0 ? ZERO_HASH : buildTree(txHashes.map((h) => fromHex(h, 32))).root
}

export const blockSealMessage = (hash: Uint8Array): Uint8Array => utf8(`ddc:v1:block:${toHex(hash).slice(2)}`)

export function sealBlock(
  header: BlockHeader,
  txs: string[],
  events: StoredEvent[],
  authority: LocalSigner,
): StoredBlock {
  const hash = blockHash(header)
  return { header, hash, seal: authority.signRawSync(blockSealMessage(hash)), txs, events }
}

/** Normalises a block read back from disk (amounts and numbers as decoded). */
export function storedTxFromDisk(v: StoredTx): StoredTx {
  return { ...v, fee: BigInt(v.fee) }
}
