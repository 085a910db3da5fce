/**
 * Who signs Substrate extrinsics. Not a core `Signer`, by design: core signers sign only
 * `<Bytes>…</Bytes>`-wrapped messages, so that no DDC signature can ever be replayed as an extrinsic —
 * and an extrinsic signature is over the raw SCALE payload. So the adapter takes a keyring pair
 * (servers, CLI, tests) or a wallet extension's injected signer (`signPayload`, one prompt per
 * transaction), exactly what polkadot{.js} itself accepts.
 */

import type { SigScheme } from '@ddc/core'
import { Keyring } from '@polkadot/api'
import type { Signer as InjectedSigner } from '@polkadot/api/types'
import type { IKeyringPair } from '@polkadot/types/types'

export type SubstrateSigner = IKeyringPair | { address: string; signer: InjectedSigner }

/** A keyring pair from a secret URI (`//Alice`, a mnemonic, with derivation path). Await cryptoReady() first. */
export function substrateKeypair(
  uri: string,
  opts: { scheme?: Exclude<SigScheme, never>; ss58Prefix?: number } = {},
): IKeyringPair {
  return new Keyring({ type: opts.scheme ?? 'sr25519', ss58Format: opts.ss58Prefix ?? 42 }).addFromUri(uri)
}
