/**
 * The service's own account: it signs the grants the service issues, and its X25519 key (derived
 * from the account secret, as for any DDC account) opens grants addressed to the service. Its signed
 * key announcement is what a grantor needs to wrap a key for it.
 */
import { createAccount, InvalidInputError, type LocalSigner, type SigScheme } from '@ddc/core'
import { type Announcement, createAnnouncement, encryptionKeyPair, type Signed, type X25519KeyPair } from '@ddc/crypto'

export interface ServiceAccountInit {
  /** Secret URI: mnemonic with optional derivation path, or a dev URI such as `//CryptoService`. */
  uri: string
  scheme?: SigScheme
  ss58Prefix?: number
}

export interface ServiceAccount {
  readonly signer: LocalSigner
  readonly keyPair: X25519KeyPair
  readonly announcement: Signed<Announcement>
}

/** Loads the account (await `cryptoReady()` first). A bad URI is refused without quoting it. */
export async function createServiceAccount(init: ServiceAccountInit): Promise<ServiceAccount> {
  let signer: LocalSigner
  try {
    signer = createAccount({ uri: init.uri, scheme: init.scheme, ss58Prefix: init.ss58Prefix })
  } catch {
    throw new InvalidInputError('accountUri is not a valid secret URI (a mnemonic with optional //path, or //Name)')
  }
  const keyPair = encryptionKeyPair(signer.encryptionSeed)
  const announcement = await createAnnouncement({ signer, publicKey: keyPair.publicKey })
  return { signer, keyPair, announcement }
}
