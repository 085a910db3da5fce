/**
 * Where readers and writers keep keys. A KeySource answers one question, "the user scope key for
 * (bucket, owner, scope, epoch)", so a module never cares whether the answer was held, derived from
 * a bucket scope key or from a master key, or fetched from elsewhere. The KeyRing is the in-memory
 * source: it derives downward from the nearest key it holds above the one asked for, never upward, so a
 * ring holding only one user's key has no answer for the bucket or for anyone else.
 */
import { toHex } from '@ddc/core'
import { accountId } from './_parse.js'
import {
  type BucketScopeKey,
  bucketScopeBytes,
  checkScopeRef,
  checkTreeKey,
  type ScopeRef,
  type TreeKey,
  type UserScopeRef,
  userScopeBytes,
} from './keytree.js'

export interface KeySource {
  /** The user scope key for these coordinates, or undefined when this source has no way to it. */
  userScopeKey(ref: UserScopeRef): Uint8Array | undefined | Promise<Uint8Array | undefined>
}

export interface KeyRingInit {
  keys?: readonly TreeKey[]
  /** How many derived keys to remember (a derivation is one or two BLAKE2b calls). Default 10 000. */
  cacheSize?: number
}

const ANY_BUCKET = '\u0000*'
const scopeSlot = (r: ScopeRef): string => `${r.bucket}\u0000${r.scope}\u0000${r.epoch}`

export class KeyRing implements KeySource {
  readonly #masters = new Map<string, Uint8Array>()
  readonly #bucketKeys = new Map<string, Uint8Array>()
  readonly #userKeys = new Map<string, Uint8Array>()
  readonly #derived = new Map<string, Uint8Array>()
  readonly #cacheSize: number

  constructor(init: KeyRingInit = {}) {
    this.#cacheSize = init.cacheSize ?? 10_000
    for (const k of init.keys ?? []) this.add(k)
  }

  /** Holds a key at any level (a copy: the caller may wipe its own). */
  add(key: TreeKey): this {
    const k = checkTreeKey(key)
    this.#derived.clear()
    if (k.level === 'master') this.#masters.set(k.bucket ?? ANY_BUCKET, k.key)
    else if (k.level === 'bucket') this.#bucketKeys.set(scopeSlot(k), k.key)
    else this.#userKeys.set(`${scopeSlot(k)}\u0000${toHex(k.owner)}`, k.key)
    return this
  }

  /** Forgets every key and derived key (e.g. on sign-out). */
  clear(): void {
    for (const m of [this.#masters, this.#bucketKeys, this.#userKeys, this.#derived]) m.clear()
  }

  masterKey(bucket: string): Uint8Array | undefined {
    return this.#masters.get(bucket) ?? this.#masters.get(ANY_BUCKET)
  }

  bucketScopeKey(ref: ScopeRef): Uint8Array | undefined {
    checkScopeRef(ref)
    return this.#bucketScope(ref)
  }

  /** The bucket scope key as a tree key (for a grant), or undefined. */
  bucketScopeTreeKey(ref: ScopeRef): BucketScopeKey | undefined {
    const key = this.bucketScopeKey(ref)
    return key && { level: 'bucket', bucket: ref.bucket, scope: ref.scope, epoch: ref.epoch, key }
  }

  /** The user scope key (shared with the ring's cache: do not modify it), or undefined. */
  userScopeKey(ref: UserScopeRef): Uint8Array | undefined {
    checkScopeRef(ref)
    const slot = `${scopeSlot(ref)}\u0000${toHex(accountId(ref.owner, 'owner'))}`
    const held = this.#userKeys.get(slot) ?? this.#derived.get(slot)
    if (held) return held
    const parent = this.#bucketScope(ref)
    return parent && this.#remember(slot, userScopeBytes(parent, ref))
  }

  #bucketScope(ref: ScopeRef): Uint8Array | undefined {
    const slot = scopeSlot(ref)
    const held = this.#bucketKeys.get(slot) ?? this.#derived.get(slot)
    if (held) return held
    const master = this.masterKey(ref.bucket)
    return master && this.#remember(slot, bucketScopeBytes(master, ref))
  }

  #remember(slot: string, key: Uint8Array): Uint8Array {
    if (this.#derived.size >= this.#cacheSize) this.#derived.delete(this.#derived.keys().next().value!)
    this.#derived.set(slot, key)
    return key
  }
}
