/**
 * Account encryption keys and key wrapping. An account's X25519 key pair comes from its signer's
 * `encryptionSeed` through one more keyed-BLAKE2b step (so the seed itself never meets X25519), and a
 * key is handed to a grantee as a libsodium sealed box for the grantee's X25519 public key: anyone can
 * wrap, only the holder of the secret key can unwrap, and the sender stays anonymous.
 */
import { DecryptionError, InvalidInputError } from '@ddc/core'
import { frame, utf8 } from './_bytes.js'
import { bytes } from './_parse.js'
import { sodium } from './_sodium.js'
import { KEY_BYTES } from './keytree.js'

export const X25519_BYTES = 32
/** A sealed box adds an ephemeral public key and a tag. */
export const WRAPPED_BYTES = KEY_BYTES + 32 + 16

const CTX_X25519 = utf8('ddc:v1:x25519')

export interface X25519KeyPair {
  publicKey: Uint8Array
  secretKey: Uint8Array
}

/** The account's X25519 key pair from `LocalSigner.encryptionSeed` (32 bytes). */
export function encryptionKeyPair(encryptionSeed: Uint8Array): X25519KeyPair {
  const lib = sodium()
  const seed = lib.crypto_generichash(32, frame(CTX_X25519), bytes(encryptionSeed, 'encryption seed', 32))
  const { publicKey, privateKey } = lib.crypto_box_seed_keypair(seed)
  seed.fill(0)
  return { publicKey, secretKey: privateKey }
}

/** Seals a 32-byte key for the holder of `recipient` (an X25519 public key). */
export function wrapKey(key: Uint8Array, recipient: Uint8Array): Uint8Array {
  return sodium().crypto_box_seal(bytes(key, 'key', KEY_BYTES), bytes(recipient, 'recipient X25519 key', X25519_BYTES))
}

/** Opens a wrapped key; throws DecryptionError if it was not sealed for this key pair or was altered. */
export function unwrapKey(wrapped: Uint8Array, keyPair: X25519KeyPair): Uint8Array {
  if (!(wrapped instanceof Uint8Array) || wrapped.length !== WRAPPED_BYTES) {
    throw new InvalidInputError(`a wrapped key is ${WRAPPED_BYTES} bytes`)
  }
  bytes(keyPair?.publicKey, 'X25519 public key', X25519_BYTES)
  bytes(keyPair?.secretKey, 'X25519 secret key', X25519_BYTES)
  try {
    return sodium().crypto_box_seal_open(wrapped, keyPair.publicKey, keyPair.secretKey)
  } catch (err) {
    throw new DecryptionError('wrapped key does not open with this key pair (sealed for someone else, or altered)', {
      cause: err,
    })
  }
}
