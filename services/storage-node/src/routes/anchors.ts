/**
 * Anchor proofs (DESIGN.md "Anchoring"): for an event by (bucket, owner, seq) or by CID, and the
 * latest anchored head of a timeline. 404 `ERR_NOT_ANCHORED` while no anchor on chain covers it yet.
 */
import { NotAnchoredError, NotFoundError, parseCid } from '@ddc/core'
import { errorResponses, registerStatus, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { authorizeRead } from '../access.js'
import { latestProof, proofForEvent } from '../anchor/proofs.js'
import type { NodeContext } from '../context.js'
import { Address, CidString } from '../schemas.js'
import { parseOwner } from '../timeline.js'

registerStatus(new NotAnchoredError('').code, 404)

const Timeline = { bucket: Type.String({ minLength: 1, maxLength: 128 }), owner: Address }
const Hex = Type.String({ pattern: '^0x[0-9a-f]*$' })
const BlockRef = Type.Object({ number: Type.Integer({ minimum: 0 }), hash: Type.String() })

export const EventProofView = Type.Object(
  {
    event: Type.Object({ seq: Type.Integer({ minimum: 0 }), cid: CidString }),
    proof: Type.Object(
      {
        bucket: Type.String(),
        owner: Type.String({ description: 'SS58 address of the timeline owner' }),
        head: Type.Object(
          { seq: Type.Integer({ minimum: 0 }), cid: CidString, length: Type.Integer({ minimum: 1 }) },
          { description: 'The anchored head the event links to (by prev links)' },
        ),
        index: Type.Integer({ minimum: 0, description: 'Leaf index in the anchor tree' }),
        path: Type.Array(Hex, { description: 'RFC 9162 audit path, leaf side first' }),
        root: Type.String({ description: 'CID of the tree root block: what the chain holds' }),
        rootBlock: Hex,
      },
      { description: 'Check with verifyAnchorProof from @ddc/core' },
    ),
    anchor: Type.Object(
      {
        root: CidString,
        count: Type.Integer({ minimum: 1 }),
        period: Type.Optional(Type.Integer({ minimum: 0 })),
        txHash: Type.String(),
        block: BlockRef,
        finalized: Type.Boolean(),
        timestamp: Type.Integer(),
      },
      { description: 'The block and transaction that hold the root' },
    ),
  },
  { $id: 'EventProof' },
)

export function anchorRoutes(app: Service, ctx: NodeContext): void {
  app.addSchema(EventProofView)
  const reply = { 200: Type.Ref('EventProof'), ...errorResponses(400, 401, 403, 404) }
  const description =
    'The anchored head the event links to, its Merkle path, the tree root and the block and transaction ' +
    'that hold the root. 404 ERR_NOT_ANCHORED while no anchor on chain covers the event yet.'

  app.get(
    '/buckets/:bucket/timelines/:owner/proofs/:seq',
    {
      schema: {
        tags: ['anchors'],
        summary: 'Anchor proof of an event by seq',
        description,
        params: Type.Object({ ...Timeline, seq: Type.Integer({ minimum: 0 }) }),
        response: reply,
      },
    },
    async (req) => {
      const ref = { bucket: req.params.bucket, owner: parseOwner(req.params.owner) }
      await authorizeRead(ctx, req, ref.bucket, ref.owner)
      ctx.store.recordUsage(ref.bucket, { requests: 1 })
      const ev = await ctx.store.eventAt(ref, req.params.seq)
      if (!ev) throw new NotFoundError(`no event ${req.params.seq} in this timeline on this node`)
      return proofForEvent(ctx.store, ref, ev, ctx.ss58Prefix)
    },
  )

  app.get(
    '/buckets/:bucket/timelines/:owner/anchor',
    {
      schema: {
        tags: ['anchors'],
        summary: "Proof of the timeline's latest anchored head",
        description: 'Covers every event up to that head. 404 ERR_NOT_ANCHORED before the first anchor.',
        params: Type.Object(Timeline),
        response: reply,
      },
    },
    async (req) => {
      const ref = { bucket: req.params.bucket, owner: parseOwner(req.params.owner) }
      await authorizeRead(ctx, req, ref.bucket, ref.owner)
      ctx.store.recordUsage(ref.bucket, { requests: 1 })
      return latestProof(ctx.store, ref, ctx.ss58Prefix)
    },
  )

  app.get(
    '/events/:cid/proof',
    {
      schema: {
        tags: ['anchors'],
        summary: 'Anchor proof of an event by CID',
        description,
        params: Type.Object({ cid: CidString }),
        response: reply,
      },
    },
    async (req) => {
      const cid = parseCid(req.params.cid)
      const loc = await ctx.store.locate(cid)
      if (!loc) throw new NotFoundError(`no event ${cid} on this node`)
      await authorizeRead(ctx, req, loc.ref.bucket, loc.ref.owner)
      ctx.store.recordUsage(loc.ref.bucket, { requests: 1 })
      return proofForEvent(ctx.store, loc.ref, loc.event, ctx.ss58Prefix)
    },
  )
}
