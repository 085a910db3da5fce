/**
 * The key tree (DESIGN.md "Keys and scoped encryption"). Each level is keyed BLAKE2b-256 of the level
 * above over a framed, versioned context, so holding a key yields every key below it and nothing above
 * or beside it:
 *
 *   master (32 random bytes, one per app)
 *     → bucket scope key = BLAKE2b-256(key = master, frame("ddc:v1:key:bucket-scope", bucket, scope, u32be(epoch)))
 *       → user scope key = BLAKE2b-256(key = bucket scope key, frame("ddc:v1:key:user-scope", bucket, scope, u32be(epoch), owner))
 *
 * A key id commits to a key without revealing it: "<level>:" + hex(BLAKE2b-128(key, frame("ddc:v1:kid", level))).
 */
import { InvalidInputError } from '@ddc/core'
import { frame, hex, randomBytes, u32be, utf8 } from './_bytes.js'
import { accountId, bucketName, bytes, epoch, scopeName } from './_parse.js'
import { sodium } from './_sodium.js'

export const KEY_BYTES = 32

const CTX_BUCKET_SCOPE = utf8('ddc:v1:key:bucket-scope')
const CTX_USER_SCOPE = utf8('ddc:v1:key:user-scope')
const CTX_KID = utf8('ddc:v1:kid')

export type KeyLevel = 'master' | 'bucket' | 'user'

/** Which scope of which bucket, at which key epoch. */
export interface ScopeRef {
  bucket: string
  scope: string
  epoch: number
}

/** The same, narrowed to one timeline owner (AccountId32). */
export interface UserScopeRef extends ScopeRef {
  owner: Uint8Array
}

/** An app master key; `bucket` narrows it to one bucket (absent: any bucket). */
export interface MasterKey {
  level: 'master'
  key: Uint8Array
  bucket?: string
}

export interface BucketScopeKey extends ScopeRef {
  level: 'bucket'
  key: Uint8Array
}

export interface UserScopeKey extends UserScopeRef {
  level: 'user'
  key: Uint8Array
}

export type TreeKey = MasterKey | BucketScopeKey | UserScopeKey

export function generateMasterKey(): Uint8Array {
  return randomBytes(KEY_BYTES)
}

export function checkScopeRef(ref: ScopeRef): void {
  bucketName(ref.bucket)
  scopeName(ref.scope)
  epoch(ref.epoch)
}

/** Raw derivations without argument checks, for callers (the key ring) that checked once already. */
export function bucketScopeBytes(master: Uint8Array, ref: ScopeRef): Uint8Array {
  const msg = frame(CTX_BUCKET_SCOPE, utf8(ref.bucket), utf8(ref.scope), u32be(ref.epoch))
  return sodium().crypto_generichash(KEY_BYTES, msg, master)
}

export function userScopeBytes(bucketScopeKey: Uint8Array, ref: UserScopeRef): Uint8Array {
  const msg = frame(CTX_USER_SCOPE, utf8(ref.bucket), utf8(ref.scope), u32be(ref.epoch), ref.owner)
  return sodium().crypto_generichash(KEY_BYTES, msg, bucketScopeKey)
}

export function deriveBucketScopeKey(master: Uint8Array, ref: ScopeRef): BucketScopeKey {
  bytes(master, 'master key', KEY_BYTES)
  checkScopeRef(ref)
  return { level: 'bucket', bucket: ref.bucket, scope: ref.scope, epoch: ref.epoch, key: bucketScopeBytes(master, ref) }
}

export function deriveUserScopeKey(parent: BucketScopeKey, owner: Uint8Array): UserScopeKey {
  if (parent.level !== 'bucket') throw new InvalidInputError('a user scope key derives from a bucket scope key')
  bytes(parent.key, 'bucket scope key', KEY_BYTES)
  checkScopeRef(parent)
  const ref: UserScopeRef = {
    bucket: parent.bucket,
    scope: parent.scope,
    epoch: parent.epoch,
    owner: accountId(owner, 'owner'),
  }
  return { level: 'user', ...ref, key: userScopeBytes(parent.key, ref) }
}

export function kidBytes(level: KeyLevel, key: Uint8Array): string {
  return `${level}:${hex(sodium().crypto_generichash(16, frame(CTX_KID, utf8(level)), key))}`
}

/** The key id of a tree key: names its level and commits to its bytes. */
export function keyId(key: TreeKey): string {
  return kidBytes(key.level, bytes(key.key, `${key.level} key`, KEY_BYTES))
}

/** Checks an untrusted tree key (e.g. from a grant or configuration) and returns a private copy. */
export function checkTreeKey(k: TreeKey): TreeKey {
  const key = bytes(k?.key, 'key', KEY_BYTES).slice()
  switch (k.level) {
    case 'master':
      return k.bucket === undefined ? { level: 'master', key } : { level: 'master', key, bucket: bucketName(k.bucket) }
    case 'bucket':
      checkScopeRef(k)
      return { level: 'bucket', bucket: k.bucket, scope: k.scope, epoch: k.epoch, key }
    case 'user':
      checkScopeRef(k)
      return {
        level: 'user',
        bucket: k.bucket,
        scope: k.scope,
        epoch: k.epoch,
        owner: accountId(k.owner, 'owner').slice(),
        key,
      }
    default:
      throw new InvalidInputError(`unknown key level ${JSON.stringify((k as { level?: unknown }).level)}`)
  }
}
