/**
 * Sharing scopes (DESIGN.md "Keys and scoped encryption"): a grant wraps a scope key — one user's
 * (owner given) or every user's of the bucket — for the grantee's X25519 key, which the grantee
 * published as a signed announcement in the CLS key directory. Storage nodes have no grant route yet,
 * so `share` returns the signed grant (`toWire` gives a JSON-safe form) and the app hands it over.
 */
import { bytesEqual, type SealJson, type Signer, sealFromJson, sealToJson, toAccountId, toHex } from '@ddc/core'
import {
  createAnnouncement,
  createGrant,
  encryptionKeyPair,
  type Grant,
  KeyRing,
  openGrant,
  type Signed,
  verifyAnnouncement,
} from '@ddc/crypto'
import type { Context } from './context.js'
import { NotConfiguredError } from './errors.js'
import { call, callJson, fromBase64, toBase64 } from './transport.js'

export interface ShareInit {
  bucket: string
  scope: string
  /** Grantee address. */
  grantee: string | Uint8Array
  /** One user's scope key (this timeline owner); absent: the bucket scope key (all users). */
  owner?: string | Uint8Array
  /** Expiry, ms since the Unix epoch. */
  exp: number
  /** Key epoch (default 0). */
  epoch?: number
  /** Also keep the grant in DDC, on the grantor's timeline (see grants.ts). */
  record?: boolean
}

export interface WireSigned {
  bytes: string
  seal: SealJson
}

export const toWire = (s: { bytes: Uint8Array; seal: Signed<unknown>['seal'] }): WireSigned => ({
  bytes: toBase64(s.bytes),
  seal: sealToJson(s.seal),
})
export const fromWire = (w: WireSigned) => ({ bytes: fromBase64(w.bytes), seal: sealFromJson(w.seal) })

function needCls(ctx: Context): string {
  if (!ctx.locator.cls) throw new NotConfiguredError('the key directory is on the CLS: createClient({ cls })')
  return ctx.locator.cls
}

/** Publishes the signer's X25519 key (derived from its encryption seed) to the CLS key directory. */
export async function announceKey(ctx: Context, signal?: AbortSignal): Promise<void> {
  const a = await createAnnouncement({ signer: ctx.signer })
  await call(
    `${needCls(ctx)}/v1/keys`,
    { method: 'PUT', json: toWire(a), timeoutMs: ctx.timeoutMs, ...(signal ? { signal } : {}) },
    ctx.fetch,
  )
}

/** Looks up and verifies an account's announced X25519 key. */
export async function lookupKey(ctx: Context, account: string | Uint8Array, signal?: AbortSignal) {
  const id = toAccountId(account)
  const w = await callJson<WireSigned>(
    `${needCls(ctx)}/v1/keys/${toHex(id)}`,
    { timeoutMs: ctx.timeoutMs, ...(signal ? { signal } : {}) },
    ctx.fetch,
  )
  const card = verifyAnnouncement(fromWire(w))
  if (!bytesEqual(card.record.account, id)) throw new NotConfiguredError('the key directory answered another account')
  return card.record
}

/** Creates a signed grant of one scope key for `grantee`. */
export async function shareScope(ctx: Context, init: ShareInit, signal?: AbortSignal): Promise<Signed<Grant>> {
  const ring = ctx.keys
  if (!(ring instanceof KeyRing))
    throw new NotConfiguredError('sharing needs encryption.keys to be a KeyRing holding the key to share')
  const epoch = init.epoch ?? 0
  const ref = { bucket: init.bucket, scope: init.scope, epoch }
  let key: Parameters<typeof createGrant>[0]['key'] | undefined
  if (init.owner !== undefined) {
    const owner = toAccountId(init.owner)
    const k = ring.userScopeKey({ ...ref, owner })
    key = k && { level: 'user', ...ref, owner, key: k }
  } else key = ring.bucketScopeTreeKey(ref)
  if (!key) throw new NotConfiguredError(`this client holds no key for scope ${init.scope} of ${init.bucket}`)
  const grantee = await lookupKey(ctx, init.grantee, signal)
  return createGrant({ signer: ctx.signer, grantee, key, exp: init.exp })
}

/** Verifies and opens a grant addressed to this client's signer and adds its key to the client's KeyRing. */
export async function acceptGrant(
  ctx: Context,
  grant: { bytes: Uint8Array; seal: unknown } | WireSigned,
): Promise<void> {
  const seed = (ctx.signer as Signer & { encryptionSeed?: Uint8Array }).encryptionSeed
  if (!seed) throw new NotConfiguredError('opening a grant needs a signer with a local encryption seed')
  const input =
    typeof grant.bytes === 'string' ? fromWire(grant as WireSigned) : (grant as { bytes: Uint8Array; seal: unknown })
  const key = await openGrant(input, encryptionKeyPair(seed))
  if (!(ctx.keys instanceof KeyRing)) ctx.keys = new KeyRing()
  ;(ctx.keys as KeyRing).add(key)
}
