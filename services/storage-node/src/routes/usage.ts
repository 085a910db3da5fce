/** GET /usage — per-bucket accounting that the chain payout consumes. */
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { NodeContext } from '../context.js'

export function usageRoutes(app: Service, ctx: NodeContext): void {
  app.get(
    '/usage',
    {
      schema: {
        tags: ['ops'],
        summary: 'Usage per bucket: bytes stored and read, requests, events',
        description:
          'Durable counters kept by this node. Bytes stored and events are written with the data they count; ' +
          'reads and requests within seconds.',
        querystring: Type.Object({ bucket: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }),
        response: { 200: Type.Object({ usage: Type.Array(Type.Ref('Usage')) }), ...errorResponses(400) },
      },
    },
    async (req) => ({ usage: await ctx.store.usage(req.query.bucket) }),
  )
}
