/**
 * Read access (DESIGN.md "Access control"): public buckets are readable by anyone; a private bucket
 * needs a signed request (core/request-auth.ts) from the bucket owner, from the timeline's owner for
 * that timeline, or from an account presenting a `read` capability chain rooted at the bucket owner.
 * A request is verified once however many checks it needs (its nonce may only be seen once).
 */
import type { BucketDirectory, BucketInfo } from '@ddc/chain'
import {
  bytesEqual,
  type RequestVerifier,
  type SealVerifier,
  UnauthorizedError,
  type VerifiedRequest,
  validateCapabilityChain,
} from '@ddc/core'
import type { FastifyRequest } from 'fastify'
import { rawBody } from './context.js'

export interface AccessContext {
  buckets: BucketDirectory
  requests: RequestVerifier
  seals: SealVerifier
  now: () => number
}

const verified = new WeakMap<FastifyRequest, VerifiedRequest>()

function signer(ctx: AccessContext, req: FastifyRequest): VerifiedRequest {
  const known = verified.get(req)
  if (known) return known
  if (!ctx.requests.isSigned(req.headers))
    throw new UnauthorizedError(
      'this bucket is private: sign the request (x-ddc-account, x-ddc-timestamp, x-ddc-nonce, x-ddc-signature) as its owner or with a read capability',
    )
  const v = ctx.requests.verify({ method: req.method, url: req.url, headers: req.headers, body: rawBody(req) })
  verified.set(req, v)
  return v
}

/** Throws unless the request may read `bucket` (and `timeline`, when the read is about one). */
export async function authorizeRead(
  ctx: AccessContext,
  req: FastifyRequest,
  bucket: string | BucketInfo,
  timeline?: Uint8Array,
): Promise<BucketInfo> {
  const info = typeof bucket === 'string' ? await ctx.buckets.getBucket(bucket) : bucket
  if (info.isPublic) return info
  const v = signer(ctx, req)
  if (bytesEqual(v.account, info.owner)) return info
  if (timeline && bytesEqual(v.account, timeline)) return info
  if (!v.capability) throw new UnauthorizedError('the signer neither owns this data nor presents a read capability')
  validateCapabilityChain(v.capability, {
    bucketOwner: info.owner,
    actor: v.account,
    op: 'read',
    bucket: info.id,
    ...(timeline ? { timeline } : {}),
    now: ctx.now(),
    verifier: ctx.seals,
  })
  return info
}

/** Like authorizeRead, but answers false instead of throwing (for blocks met while walking a DAG). */
export async function mayRead(
  ctx: AccessContext,
  req: FastifyRequest,
  bucket: string,
  timeline?: Uint8Array,
): Promise<boolean> {
  try {
    await authorizeRead(ctx, req, bucket, timeline)
    return true
  } catch {
    return false
  }
}
