/**
 * Accounts are Substrate AccountId32 values. Envelopes carry the 32 raw bytes (compact, and the same
 * on every network); people and URLs see SS58 text with the network's prefix (Cere 54, generic 42).
 */
import { blake2AsU8a, decodeAddress, encodeAddress } from '@polkadot/util-crypto'
import { InvalidAddressError } from './errors.js'

export const SS58_CERE = 54
export const SS58_GENERIC = 42

export type SigScheme = 'sr25519' | 'ed25519' | 'ecdsa'
export const SIG_SCHEMES: readonly SigScheme[] = ['sr25519', 'ed25519', 'ecdsa']

export function isSigScheme(s: unknown): s is SigScheme {
  return s === 'sr25519' || s === 'ed25519' || s === 'ecdsa'
}

/** SS58 text (any prefix) or 32 raw bytes → AccountId32 bytes. */
export function toAccountId(address: string | Uint8Array): Uint8Array {
  if (address instanceof Uint8Array) {
    if (address.length !== 32) throw new InvalidAddressError(`account id must be 32 bytes, got ${address.length}`)
    return address
  }
  let id: Uint8Array
  try {
    id = decodeAddress(address)
  } catch (err) {
    throw new InvalidAddressError(`not a valid SS58 address: ${JSON.stringify(address).slice(0, 80)}`, { cause: err })
  }
  if (id.length !== 32) throw new InvalidAddressError(`address must hold a 32-byte account id, got ${id.length} bytes`)
  return id
}

export function toAddress(accountId: Uint8Array | string, ss58Prefix = SS58_GENERIC): string {
  return encodeAddress(toAccountId(accountId), ss58Prefix)
}

/** The AccountId32 of a public key: the key itself for sr25519/ed25519, blake2-256 of it for ecdsa. */
export function accountIdOf(publicKey: Uint8Array, scheme: SigScheme): Uint8Array {
  return scheme === 'ecdsa' ? blake2AsU8a(publicKey, 256) : publicKey
}
