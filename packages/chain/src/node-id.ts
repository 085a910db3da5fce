/**
 * Storage node ids: the 0x-hex of the node's 32-byte public key. Hex, not SS58, so that an id is the
 * same on every network (placement hashes it). Inputs also accept the node key's SS58 address.
 */
import { fromHex, InvalidInputError, toAccountId, toHex } from '@ddc/core'
import type { AccountLike } from './chain.js'

export function nodeIdOf(publicKey: AccountLike): string {
  return toHex(toAccountId(publicKey))
}

/** A node id (0x-hex) or SS58 address → the 32 key bytes. */
export function nodeKeyOf(id: string): Uint8Array {
  if (id.startsWith('0x')) {
    if (id.length !== 66) throw new InvalidInputError(`node id must be 32 bytes of 0x-hex, got ${id.slice(0, 80)}`)
    return fromHex(id, 32)
  }
  return toAccountId(id)
}
