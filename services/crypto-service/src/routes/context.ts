/** What every route module gets: keys, the caller guard, the service account and limits. */
import type { EncryptionModule } from '@ddc/crypto'
import type { ServiceAccount } from '../account.js'
import type { Guard } from '../auth.js'
import type { Keystore } from '../keystore.js'

export interface RouteContext {
  keys: Keystore
  guard: Guard
  account: ServiceAccount
  /** Modules decryption may pick from by `envelope.enc`. */
  readers: readonly EncryptionModule[]
  ss58Prefix: number
  maxBatch: number
  maxGrantTtlMs: number
  /** Hex account ids whose grants /v1/keys/rewrap accepts; undefined: any validly signed grant. */
  trustedGrantors: ReadonlySet<string> | undefined
}
