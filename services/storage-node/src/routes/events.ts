/** Reads by CID: one event (envelope + seal + body), a raw block, a capability chain. */
import {
  type CID,
  capabilityToJson,
  decodeSignedCapability,
  encodeCapabilityChain,
  NotFoundError,
  parseCid,
  type SignedCapability,
} from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { authorizeRead } from '../access.js'
import type { NodeContext } from '../context.js'
import { Binary, CBOR, CidString, RAW } from '../schemas.js'
import { bytesOf, cborEvent, eventJson, loadEvents } from '../timeline.js'
import { wantsCbor } from './timelines.js'

const CidParam = Type.Object({ cid: CidString })

export function eventRoutes(app: Service, ctx: NodeContext): void {
  app.get(
    '/events/:cid',
    {
      schema: {
        tags: ['events'],
        summary: 'One event by envelope CID',
        description: 'Envelope, seal and body; `redacted: true` when a tombstone erased the body.',
        params: CidParam,
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('cbor')])) }),
        response: {
          200: {
            content: {
              'application/json': { schema: Type.Ref('Event') },
              [CBOR]: { schema: Binary('DAG-CBOR {env, seal, body?, redacted?}') },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        } as never,
      },
    },
    async (req, reply) => {
      const cid = parseCid(req.params.cid)
      const loc = await ctx.store.locate(cid)
      if (!loc) throw new NotFoundError(`no event ${cid} on this node`)
      await authorizeRead(ctx, req, loc.ref.bucket, loc.ref.owner)
      const [event] = await loadEvents(ctx.store, [loc.event])
      const bytesRead = bytesOf([event!])
      ctx.store.recordUsage(loc.ref.bucket, { bytesRead, requests: 1 })
      ctx.metrics.bytesRead.inc(bytesRead)
      if (wantsCbor(req, req.query.format)) return reply.type(CBOR).send(cborEvent(event!))
      return eventJson(event!, ctx.ss58Prefix)
    },
  )

  app.get(
    '/blocks/:cid',
    {
      schema: {
        tags: ['blocks'],
        summary: 'A raw block by CID (envelope, body or capability)',
        params: CidParam,
        response: { 200: Binary('The block, verified against its CID'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const cid = parseCid(req.params.cid)
      const block = await ctx.store.getBlock(cid)
      if (!block) throw new NotFoundError(`no block ${cid} on this node (never stored, or erased)`)
      if (block.ref) {
        await authorizeRead(ctx, req, block.ref.bucket, block.ref.owner)
        ctx.store.recordUsage(block.ref.bucket, { bytesRead: block.bytes.length, requests: 1 })
      }
      ctx.metrics.bytesRead.inc(block.bytes.length)
      return reply.type(RAW).header('x-content-type-options', 'nosniff').send(Buffer.from(block.bytes))
    },
  )

  app.get(
    '/capabilities/:cid',
    {
      schema: {
        tags: ['events'],
        summary: 'A stored capability chain, leaf named by CID',
        description:
          'The chain (root first) that authorized delegated events, with seals, as JSON and in header form — what ' +
          'a verifier needs to check an event signed by a delegate.',
        params: CidParam,
        response: {
          200: Type.Object({
            chain: Type.Array(Type.Record(Type.String(), Type.Unknown())),
            header: Type.String({ description: 'x-ddc-capability form' }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const chain: SignedCapability[] = []
      for (let cid: CID | undefined = parseCid(req.params.cid); cid && chain.length < 8; ) {
        const [block, seal] = await Promise.all([ctx.store.getBlock(cid), ctx.store.capabilitySeal(cid)])
        if (!block || !seal) throw new NotFoundError(`no capability ${cid} on this node`)
        const c = decodeSignedCapability(block.bytes, seal)
        chain.unshift(c)
        cid = c.capability.prf
      }
      await authorizeRead(ctx, req, chain[0]!.capability.bucket)
      return {
        chain: chain.map((c) => capabilityToJson(c, ctx.ss58Prefix) as unknown as Record<string, unknown>),
        header: encodeCapabilityChain(chain),
      }
    },
  )
}
