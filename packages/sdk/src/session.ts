/**
 * Sessions: one wallet prompt per session instead of one per request. The wallet signs ONE capability
 * for a fresh key that lives only in memory (read + append on the wallet's own timeline of one bucket,
 * for a limited time); that session key then signs every batch and every read request. Capabilities
 * are rooted at the bucket owner (DESIGN.md "Access control"): a bucket owner issues the session
 * capability itself, anyone else delegates it from the capability the bucket owner gave them.
 */
import {
  type CapabilityOp,
  createAccount,
  delegateCapability,
  issueCapability,
  type LocalSigner,
  type SignedCapability,
} from '@ddc/core'
import type { Context } from './context.js'

export interface SessionInit {
  bucket: string
  /** Default: the parent capability's ops, or read + append. */
  ops?: CapabilityOp[]
  /** Lifetime (default 1 h; never beyond the parent capability's expiry). */
  ttlMs?: number
  /** The chain the wallet holds for this bucket (root first); absent when the wallet owns the bucket. */
  capability?: readonly SignedCapability[]
}

export interface SessionGrant {
  /** The session key (in memory only; it never needs the wallet again). */
  key: LocalSigner
  /** The capability chain it acts under (the last link is the one the wallet signed). */
  capability: SignedCapability[]
}

/** Makes a session key and has the wallet sign its capability: exactly one signer call. */
export async function openSession(ctx: Context, init: SessionInit): Promise<SessionGrant> {
  const key = createAccount({ seed: globalThis.crypto.getRandomValues(new Uint8Array(32)) })
  const parent = init.capability?.[init.capability.length - 1]?.capability
  let exp = Date.now() + (init.ttlMs ?? 3_600_000)
  if (parent) exp = Math.min(exp, parent.exp)
  const cap = {
    aud: key.accountId,
    bucket: init.bucket,
    tl: [ctx.owner],
    ops: init.ops ?? parent?.ops ?? (['read', 'append'] as CapabilityOp[]),
    exp,
  }
  const capability = init.capability?.length
    ? await delegateCapability(ctx.signer, init.capability, cap)
    : [await issueCapability(ctx.signer, cap)]
  return { key, capability }
}
