/**
 * Grants: a grantor hands one scope key to a grantee, wrapped for the grantee's announced X25519 key.
 * A grant names a bucket scope key (all users of the bucket; no `owner`) or one user's scope key, is
 * signed by the grantor (seal kind 'grant') and expires. Expiry bounds when a grant may be served and
 * opened; a key once opened cannot be taken back, so revocation is rotation: raise the scope's epoch,
 * and new events are sealed under keys the old grant never held.
 *
 *   { v: 1, grantor, grantee, bucket, scope, owner?, epoch, kid, wrapped, created, exp }
 */
import {
  DecryptionError,
  decodeCanonical,
  ExpiredError,
  encodeCanonical,
  fromHex,
  InvalidInputError,
  type Signer,
  toAccountId,
  toAddress,
  toHex,
} from '@ddc/core'
import { accountId, bucketName, bytes, epoch, scopeName, text, uint, versioned } from './_parse.js'
import { dropUndefined, openSigned, type Signed, signRecord } from './_record.js'
import { sodiumReady } from './_sodium.js'
import { type BucketScopeKey, checkTreeKey, keyId, kidBytes, type UserScopeKey } from './keytree.js'
import { unwrapKey, WRAPPED_BYTES, wrapKey, type X25519KeyPair } from './wrap.js'

export const GRANT_VERSION = 1

export interface Grant {
  v: 1
  grantor: Uint8Array
  grantee: Uint8Array
  bucket: string
  scope: string
  /** The one timeline owner this key is for; absent: the bucket scope key (every user). */
  owner?: Uint8Array
  epoch: number
  kid: string
  wrapped: Uint8Array
  created: number
  exp: number
}

export interface GrantJson {
  v: 1
  grantor: string
  grantee: string
  bucket: string
  scope: string
  owner?: string
  epoch: number
  kid: string
  wrapped: string
  created: number
  exp: number
}

const REQUIRED = ['grantor', 'grantee', 'bucket', 'scope', 'epoch', 'kid', 'wrapped', 'created', 'exp'] as const
const KID = /^(bucket|user):[0-9a-f]{32}$/

export function parseGrant(value: unknown): Grant {
  const r = versioned(value, 'grant', GRANT_VERSION, REQUIRED, ['owner'])
  const g: Grant = {
    v: 1,
    grantor: accountId(r.grantor, 'grant grantor'),
    grantee: accountId(r.grantee, 'grant grantee'),
    bucket: bucketName(r.bucket, 'grant bucket'),
    scope: scopeName(r.scope, 'grant scope'),
    epoch: epoch(r.epoch, 'grant epoch'),
    kid: text(r.kid, 'grant kid'),
    wrapped: bytes(r.wrapped, 'grant wrapped', WRAPPED_BYTES),
    created: uint(r.created, 'grant created'),
    exp: uint(r.exp, 'grant exp'),
  }
  if (r.owner !== undefined) g.owner = accountId(r.owner, 'grant owner')
  const match = KID.exec(g.kid)
  if (!match || (match[1] === 'user') !== (g.owner !== undefined)) {
    throw new InvalidInputError(
      `grant kid must be a ${g.owner ? 'user' : 'bucket'} key id ("${g.owner ? 'user' : 'bucket'}:" and 32 hex digits)`,
    )
  }
  if (g.exp <= g.created) throw new InvalidInputError('grant exp must be after created')
  return g
}

export const encodeGrant = (g: Grant): Uint8Array => encodeCanonical(dropUndefined(parseGrant(g)))
export const decodeGrant = (b: Uint8Array): Grant => parseGrant(decodeCanonical(b))

export function grantToJson(g: Grant, ss58Prefix?: number): GrantJson {
  const { owner, grantor, grantee, wrapped, ...rest } = g
  const out: GrantJson = {
    ...rest,
    grantor: toAddress(grantor, ss58Prefix),
    grantee: toAddress(grantee, ss58Prefix),
    wrapped: toHex(wrapped),
  }
  if (owner) out.owner = toAddress(owner, ss58Prefix)
  return out
}

export function grantFromJson(json: unknown): Grant {
  const j = versioned(json, 'grant', GRANT_VERSION, REQUIRED, ['owner'])
  const account = (v: unknown, what: string) => toAccountId(text(v, what))
  return parseGrant({
    ...j,
    grantor: account(j.grantor, 'grant grantor'),
    grantee: account(j.grantee, 'grant grantee'),
    owner: j.owner === undefined ? undefined : account(j.owner, 'grant owner'),
    wrapped: fromHex(text(j.wrapped, 'grant wrapped')),
  })
}

export interface GrantInit {
  signer: Signer
  /** The grantee's account and X25519 key: its verified key announcement fits. */
  grantee: { account: Uint8Array; x25519: Uint8Array }
  key: BucketScopeKey | UserScopeKey
  /** Expiry, ms since the Unix epoch. */
  exp: number
  /** Default: now. */
  created?: number
}

export async function createGrant(init: GrantInit): Promise<Signed<Grant>> {
  await sodiumReady()
  const key = checkTreeKey(init.key)
  if (key.level === 'master')
    throw new InvalidInputError('a grant hands out a bucket scope key or a user scope key, not a master key')
  const grant = parseGrant({
    v: 1,
    grantor: init.signer.accountId,
    grantee: init.grantee.account,
    bucket: key.bucket,
    scope: key.scope,
    owner: key.level === 'user' ? key.owner : undefined,
    epoch: key.epoch,
    kid: keyId(key),
    wrapped: wrapKey(key.key, init.grantee.x25519),
    created: init.created ?? Date.now(),
    exp: init.exp,
  })
  return signRecord(init.signer, 'grant', grant)
}

/** Decodes a received grant, checks the grantor's seal and that it has not expired at `now`. */
export function verifyGrant(
  input: { bytes: Uint8Array; seal: unknown },
  options: { now?: number } = {},
): Signed<Grant> {
  const signed = openSigned(input, 'grant', parseGrant, (g) => g.grantor)
  const now = options.now ?? Date.now()
  if (now >= signed.record.exp) {
    throw new ExpiredError(
      `grant ${signed.cid} expired at ${new Date(signed.record.exp).toISOString()}; ask the grantor for a new one`,
      {
        details: { exp: signed.record.exp, now },
      },
    )
  }
  return signed
}

/** Verifies a grant and unwraps its key with the grantee's key pair; the result goes into a KeyRing. */
export async function openGrant(
  input: { bytes: Uint8Array; seal: unknown },
  keyPair: X25519KeyPair,
  options: { now?: number } = {},
): Promise<BucketScopeKey | UserScopeKey> {
  await sodiumReady()
  const g = verifyGrant(input, options).record
  const key = unwrapKey(g.wrapped, keyPair)
  if (kidBytes(g.owner ? 'user' : 'bucket', key) !== g.kid) {
    throw new DecryptionError(`grant's wrapped key is not the key its kid ${g.kid} names`)
  }
  const ref = { bucket: g.bucket, scope: g.scope, epoch: g.epoch }
  return g.owner ? { level: 'user', ...ref, owner: g.owner, key } : { level: 'bucket', ...ref, key }
}
