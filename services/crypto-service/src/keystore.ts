/**
 * The keys this service holds, per bucket: a KeyRing built from configured key material (a master
 * key, bucket scope keys or user scope keys — it derives downward from whatever it holds), the
 * bucket's scope map and current epochs (an encrypting module), and the one question grants ask:
 * "the tree key for this scope, epoch and (optionally) owner". Keys never leave this module except
 * as `TreeKey`s handed to `createGrant`, which wraps them for a grantee.
 */
import { fromHex, InvalidInputError, MissingKeyError, NotFoundError, toAccountId, toAddress } from '@ddc/core'
import {
  type BucketScopeKey,
  type EncryptionModule,
  KeyRing,
  standardModule,
  type TreeKey,
  type UserScopeKey,
} from '@ddc/crypto'
import type { BucketConfig } from './config.js'

const NAME = /^[A-Za-z0-9._:/@-]{1,128}$/

export interface GrantKeyRef {
  scope: string
  /** Absent: the scope's current epoch. */
  epoch?: number
  /** Present: that user's scope key; absent: the bucket scope key (every user). */
  owner?: Uint8Array
}

export interface BucketKeys {
  readonly name: string
  /** The key source for this bucket's events. */
  readonly ring: KeyRing
  /** Seals events of this bucket; undefined when the bucket has no scope map (decrypt and wrap only). */
  readonly writer: EncryptionModule | undefined
  epochOf(scope: string): number
  /** The bucket or user scope key a grant would hand out, or MissingKeyError. */
  grantKey(ref: GrantKeyRef): BucketScopeKey | UserScopeKey
}

export interface Keystore {
  readonly buckets: readonly string[]
  /** The bucket's keys, or NotFoundError (ERR_NOT_FOUND) when it is not configured here. */
  bucket(name: string): BucketKeys
}

/** Parses 32 bytes of hex without ever quoting the value in an error. */
function keyBytes(hex: string, where: string): Uint8Array {
  try {
    return fromHex(hex, 32)
  } catch {
    throw new InvalidInputError(`${where} must be 32 bytes of hex`)
  }
}

function treeKeys(bucket: string, c: BucketConfig): TreeKey[] {
  const at = `buckets.${bucket}`
  const keys: TreeKey[] = []
  if (c.masterKey !== undefined) keys.push({ level: 'master', bucket, key: keyBytes(c.masterKey, `${at}.masterKey`) })
  for (const [i, k] of (c.bucketKeys ?? []).entries()) {
    const key = keyBytes(k.key, `${at}.bucketKeys[${i}].key`)
    keys.push({ level: 'bucket', bucket, scope: k.scope, epoch: k.epoch, key })
  }
  for (const [i, k] of (c.userKeys ?? []).entries()) {
    const key = keyBytes(k.key, `${at}.userKeys[${i}].key`)
    keys.push({ level: 'user', bucket, scope: k.scope, epoch: k.epoch, owner: toAccountId(k.owner), key })
  }
  if (keys.length === 0) throw new InvalidInputError(`${at} holds no key: give masterKey, bucketKeys or userKeys`)
  return keys
}

function bucketKeys(name: string, c: BucketConfig): BucketKeys {
  if (!NAME.test(name))
    throw new InvalidInputError(`bucket name ${JSON.stringify(name)} must be 1–128 of [A-Za-z0-9._:/@-]`)
  const keys = treeKeys(name, c)
  const ring = new KeyRing({ keys })
  for (const k of keys) k.key.fill(0) // the ring keeps its own copies
  const epochs = { ...c.epochs }
  const epochOf = (scope: string): number => epochs[scope] ?? 0
  let writer: EncryptionModule | undefined
  try {
    writer = c.scopes && standardModule({ scopes: c.scopes, epochs: (_bucket, scope) => epochOf(scope) })
  } catch (err) {
    throw new InvalidInputError(`buckets.${name}.scopes: ${(err as Error).message}`, { cause: err })
  }
  return {
    name,
    ring,
    writer,
    epochOf,
    grantKey({ scope, epoch = epochOf(scope), owner }) {
      const ref = { bucket: name, scope, epoch }
      const whose = owner ? ` for ${toAddress(owner)}` : ' (all users)'
      const missing = () =>
        new MissingKeyError(
          `this service holds no key for scope '${scope}' of bucket ${name} at epoch ${epoch}${whose}, nor one above it to derive it from`,
          { details: { bucket: name, scope, epoch } },
        )
      if (owner) {
        const key = ring.userScopeKey({ ...ref, owner })
        if (!key) throw missing()
        return { level: 'user', ...ref, owner, key }
      }
      const key = ring.bucketScopeTreeKey(ref)
      if (!key) throw missing()
      return key
    },
  }
}

/** Builds every configured bucket once, at start; a bad bucket stops the process with a clear message. */
export function createKeystore(config: Record<string, BucketConfig>): Keystore {
  const byName = new Map(Object.entries(config).map(([name, c]) => [name, bucketKeys(name, c)]))
  return {
    buckets: [...byName.keys()],
    bucket(name) {
      const found = byName.get(name)
      if (!found) {
        throw new NotFoundError(`bucket ${JSON.stringify(name)} is not configured on this crypto service`, {
          details: { bucket: name },
        })
      }
      return found
    },
  }
}
