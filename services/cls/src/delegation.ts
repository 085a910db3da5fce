/**
 * Traversing a private bucket. Storage nodes list a private bucket's timelines only to its owner or
 * to an account with a `read` capability rooted at the owner (DESIGN.md "Access control"), and a
 * signed request cannot be relayed: its signature covers the path it was sent to. So the CLS reads as
 * its own account, with a capability the caller delegates to it:
 *
 *  - the caller signs its request to the CLS (x-ddc-account, x-ddc-timestamp, x-ddc-nonce,
 *    x-ddc-signature) and sends in `x-ddc-capability` a chain whose last link grants `read` on the
 *    whole bucket to the CLS account (GET /v1/info) and is issued by the caller — the bucket owner
 *    issues it directly as a root;
 *  - the CLS checks the chain as a node would, for itself as the actor, and that the request's signer
 *    issued the last link (so a copied header is useless to anyone else: its nonce is spent, its
 *    timestamp ages out);
 *  - then it signs its own requests to the nodes with that chain.
 */
import type { BucketInfo } from '@ddc/chain'
import { NotSupportedError } from '@ddc/chain'
import {
  bytesEqual,
  type IncomingRequest,
  REQUEST_HEADERS,
  type RequestVerifier,
  type SealVerifier,
  type Signer,
  UnauthorizedError,
  validateCapabilityChain,
} from '@ddc/core'
import type { ListingAuth } from './traversal.js'

export interface DelegationContext {
  /** The CLS's own account; without one, private buckets cannot be traversed. */
  account: Signer | undefined
  requests: RequestVerifier
  seals: SealVerifier
  now: () => number
}

/** What the nodes need to list `bucket` for this request: nothing for a public bucket. */
export function listingAuth(ctx: DelegationContext, req: IncomingRequest, bucket: BucketInfo): ListingAuth | undefined {
  if (bucket.isPublic) return undefined
  const account = ctx.account
  if (!account)
    throw new NotSupportedError(
      `bucket ${bucket.id} is private and this CLS has no account to read it with (configure DDC_CLS_ACCOUNT_URI)`,
    )
  const how =
    `sign the request and send in ${REQUEST_HEADERS.capability} a read capability for bucket ${bucket.id} ` +
    `that you issue to the CLS account ${account.address}`
  if (!ctx.requests.isSigned(req.headers)) throw new UnauthorizedError(`bucket ${bucket.id} is private: ${how}`)
  const v = ctx.requests.verify(req)
  if (!v.capability) throw new UnauthorizedError(`no capability was presented: ${how}`)
  const leaf = validateCapabilityChain(v.capability, {
    bucketOwner: bucket.owner,
    actor: account.accountId,
    op: 'read',
    bucket: bucket.id,
    now: ctx.now(),
    verifier: ctx.seals,
  })
  if (!bytesEqual(leaf.capability.iss, v.account))
    throw new UnauthorizedError('the request must be signed by the account that delegated the capability to the CLS')
  return { signer: account, capability: v.capability }
}
