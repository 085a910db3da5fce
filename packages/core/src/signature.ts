/**
 * Signature verification for the three Substrate schemes. Everything DDC signs is wrapped as
 * `<Bytes>message</Bytes>`, exactly what a wallet extension's `signRaw` signs, so one verifier serves
 * keyring pairs and browser wallets alike. sr25519 goes straight to @polkadot/wasm-crypto and ed25519
 * to libsodium: the generic util-crypto path is several times slower on the ingest hot path.
 */
import { u8aWrapBytes } from '@polkadot/util'
import { secp256k1Verify } from '@polkadot/util-crypto'
import { sr25519Verify } from '@polkadot/wasm-crypto'
import { isSigScheme, type SigScheme } from './address.js'
import { BadSignatureError } from './errors.js'
import { sodium } from './ready.js'

/** The bytes a wallet actually signs for `message`. */
export function wrapForSigning(message: Uint8Array): Uint8Array {
  return u8aWrapBytes(message)
}

/** Signature length per scheme: sr25519/ed25519 64 bytes, ecdsa 65 (recoverable). */
export const SIGNATURE_LENGTH: Record<SigScheme, number> = { sr25519: 64, ed25519: 64, ecdsa: 65 }

/**
 * True when `signature` by the account `accountId` over `<Bytes>message</Bytes>` is valid.
 * Call `cryptoReady()` once before the first verification.
 */
export function verifySignature(
  scheme: SigScheme,
  accountId: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!isSigScheme(scheme) || signature.length !== SIGNATURE_LENGTH[scheme] || accountId.length !== 32) return false
  const wrapped = wrapForSigning(message)
  try {
    switch (scheme) {
      case 'sr25519':
        return sr25519Verify(signature, wrapped, accountId)
      case 'ed25519':
        return sodium.crypto_sign_verify_detached(signature, wrapped, accountId)
      case 'ecdsa':
        // Substrate ecdsa: blake2-256 prehash; the account id is blake2-256 of the recovered key.
        return secp256k1Verify(wrapped, signature, accountId, 'blake2')
    }
  } catch {
    return false
  }
}

export function assertSignature(
  scheme: SigScheme,
  accountId: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  what = 'signature',
): void {
  if (!verifySignature(scheme, accountId, message, signature)) {
    throw new BadSignatureError(
      `${what} does not verify (${scheme}); it was not made by the named signer over this content`,
    )
  }
}
