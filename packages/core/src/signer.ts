/**
 * A Signer is anything that can sign `<Bytes>message</Bytes>` for one account: a local keyring pair,
 * a polkadot{.js}-style browser extension, or a remote custodial service. It is async so that a wallet
 * prompt or a network round trip fits behind it.
 */
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { u8aToHex } from '@polkadot/util'
import { blake2AsU8a, mnemonicGenerate } from '@polkadot/util-crypto'
import { accountIdOf, type SigScheme, SS58_GENERIC, toAccountId, toAddress } from './address.js'
import { frame, fromHex, utf8 } from './bytes.js'
import { BadSignatureError, InvalidInputError } from './errors.js'
import { SIGNATURE_LENGTH, wrapForSigning } from './signature.js'

export interface Signer {
  /** SS58 address of the signing account. */
  readonly address: string
  /** The 32-byte AccountId32 behind `address`. */
  readonly accountId: Uint8Array
  readonly scheme: SigScheme
  /** Signs `<Bytes>message</Bytes>`, as a wallet's `signRaw` does, and returns the bare signature. */
  signRaw(message: Uint8Array): Promise<Uint8Array>
}

/** A signer whose secret is held in this process (tests, servers, CLI). */
export interface LocalSigner extends Signer {
  readonly publicKey: Uint8Array
  /**
   * 32 secret bytes derived from the account's secret material, for deriving the account's X25519
   * encryption key. Never logged, never sent.
   */
  readonly encryptionSeed: Uint8Array
  /** Synchronous form for hot paths that own the key. */
  signRawSync(message: Uint8Array): Uint8Array
}

export interface AccountInit {
  /** A secret URI: dev URI (`//Alice`), mnemonic with optional `//hard/soft///password` path. */
  uri?: string
  /** A 32-byte seed (hex or bytes). */
  seed?: string | Uint8Array
  scheme?: SigScheme
  ss58Prefix?: number
}

const ENCRYPTION_SEED_CONTEXT = utf8('ddc:v1:encryption-seed')

/** Loads a local account from a URI, mnemonic or seed. Await `cryptoReady()` first. */
export function createAccount(init: AccountInit): LocalSigner {
  const scheme = init.scheme ?? 'sr25519'
  const ss58Prefix = init.ss58Prefix ?? SS58_GENERIC
  const keyring = new Keyring({ type: scheme, ss58Format: ss58Prefix })
  let pair: KeyringPair
  let secret: Uint8Array
  if (init.uri !== undefined) {
    pair = keyring.addFromUri(init.uri)
    secret = utf8(init.uri)
  } else if (init.seed !== undefined) {
    const seed = typeof init.seed === 'string' ? fromHex(init.seed, 32) : init.seed
    if (seed.length !== 32) throw new InvalidInputError('a seed must be 32 bytes')
    pair = keyring.addFromSeed(seed)
    secret = seed
  } else {
    throw new InvalidInputError('createAccount needs a uri (mnemonic or //Dev) or a 32-byte seed')
  }
  return pairSigner(pair, scheme, ss58Prefix, blake2AsU8a(frame(utf8(scheme), secret), 256, ENCRYPTION_SEED_CONTEXT))
}

/** A fresh random account (mnemonic returned so the caller can keep it). */
export function generateAccount(
  scheme: SigScheme = 'sr25519',
  ss58Prefix = SS58_GENERIC,
): { mnemonic: string; signer: LocalSigner } {
  const mnemonic = mnemonicGenerate(12)
  return { mnemonic, signer: createAccount({ uri: mnemonic, scheme, ss58Prefix }) }
}

function pairSigner(pair: KeyringPair, scheme: SigScheme, ss58Prefix: number, encryptionSeed: Uint8Array): LocalSigner {
  const accountId = accountIdOf(pair.publicKey, scheme)
  const signRawSync = (message: Uint8Array): Uint8Array => pair.sign(wrapForSigning(message))
  const signer: LocalSigner = {
    address: toAddress(accountId, ss58Prefix),
    accountId,
    scheme,
    publicKey: pair.publicKey,
    encryptionSeed,
    signRawSync,
    signRaw: async (message) => signRawSync(message),
  }
  // Keep the seed out of JSON.stringify / util.inspect output.
  Object.defineProperty(signer, 'encryptionSeed', { enumerable: false })
  return signer
}

/** What a polkadot{.js}-style extension injects as `injected.signer.signRaw`. */
export type SignRawFn = (payload: { address: string; data: string; type: 'bytes' }) => Promise<{ signature: string }>

/**
 * Adapts a browser wallet extension. The extension wraps the data in `<Bytes>` itself and may return
 * a MultiSignature (one type byte before the signature); both forms are accepted.
 */
export function extensionSigner(init: {
  address: string
  scheme: SigScheme
  signRaw: SignRawFn
  ss58Prefix?: number
}): Signer {
  const accountId = toAccountId(init.address)
  const typeByte: Record<SigScheme, number> = { ed25519: 0, sr25519: 1, ecdsa: 2 }
  return {
    address: toAddress(accountId, init.ss58Prefix ?? SS58_GENERIC),
    accountId,
    scheme: init.scheme,
    async signRaw(message) {
      const { signature } = await init.signRaw({ address: init.address, data: u8aToHex(message), type: 'bytes' })
      const sig = fromHex(signature)
      const want = SIGNATURE_LENGTH[init.scheme]
      if (sig.length === want) return sig
      if (sig.length === want + 1 && sig[0] === typeByte[init.scheme]) return sig.subarray(1)
      throw new BadSignatureError(
        `wallet returned a ${sig.length}-byte signature; expected a ${init.scheme} signature of ${want} bytes`,
      )
    },
  }
}
