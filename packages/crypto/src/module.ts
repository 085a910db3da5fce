/**
 * The Encryption API: what any encryption module offers, and how a reader picks the module an event
 * names in `envelope.enc`. The standard module (standard.ts) is one implementation; another plugs in
 * by implementing `EncryptionModule` under its own id. See the README, "Writing another module".
 */
import { type Envelope, type ScopeMeta, UnsupportedVersionError } from '@ddc/core'
import type { KeySource } from './keyring.js'

/** What an app hands in: the event's identity and its plaintext data. */
export interface PlainEvent {
  bucket: string
  /** Timeline owner (AccountId32). */
  owner: Uint8Array
  id: string
  type: string
  data: Record<string, unknown>
}

/** The envelope fields an encryption fills in, plus the body block to store beside the envelope. */
export interface EncryptedEvent {
  pub?: Record<string, unknown>
  enc: string
  scopes: Record<string, ScopeMeta>
  /** Store as its own block (core `cidOf(body)`) and put that CID in `envelope.body`. */
  body: Uint8Array
}

/** The envelope fields decryption reads (an Envelope fits). */
export type SealedEvent = Pick<Envelope, 'bucket' | 'owner' | 'id' | 'type'> &
  Partial<Pick<Envelope, 'enc' | 'scopes' | 'pub'>>

export type LockReason = 'no-key' | 'bad-ciphertext'

export interface DecryptedEvent {
  /** pub merged with every scope that opened. */
  data: Record<string, unknown>
  opened: string[]
  locked: { scope: string; reason: LockReason }[]
}

export interface DecryptOptions {
  /** Throw (MissingKeyError, DecryptionError) instead of reporting a scope as locked. */
  strict?: boolean
}

export interface EncryptionModule {
  /** Written to `envelope.enc`; versioned, e.g. `xchacha20poly1305-blake2b-v1`. */
  readonly id: string
  encrypt(event: PlainEvent, keys: KeySource): Promise<EncryptedEvent>
  /**
   * Opens every scope it has keys for. Never throws because one scope stays shut (unless `strict`);
   * throws on input that is not an event of this module.
   */
  decrypt(event: SealedEvent, body: Uint8Array, keys: KeySource, options?: DecryptOptions): Promise<DecryptedEvent>
}

/** The module registered under `enc`, or a clear error naming the ones that are. */
export function selectModule(modules: readonly EncryptionModule[], enc: string): EncryptionModule {
  const found = modules.find((m) => m.id === enc)
  if (found) return found
  throw new UnsupportedVersionError(
    `encryption module ${JSON.stringify(enc)} is not available here (known: ${modules.map((m) => m.id).join(', ') || 'none'}); register a module with that id to read these events`,
    { details: { enc, known: modules.map((m) => m.id) } },
  )
}

/** Decrypts with whichever module the event names; an event without `enc` is all public. */
export async function decryptEvent(
  modules: readonly EncryptionModule[],
  event: SealedEvent,
  body: Uint8Array,
  keys: KeySource,
  options?: DecryptOptions,
): Promise<DecryptedEvent> {
  if (event.enc === undefined) return { data: { ...event.pub }, opened: [], locked: [] }
  return selectModule(modules, event.enc).decrypt(event, body, keys, options)
}
