/** GET /v1/buckets/{bucket}/timelines — per-app traversal across the bucket's cluster (../traversal.ts). */
import { toAddress } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { listingAuth } from '../delegation.js'
import { servingNodes } from '../locate.js'
import { BucketId, ref, TimelinePage } from '../schemas.js'
import { decodeCursor, encodeCursor, listTimelinesPage } from '../traversal.js'
import type { RouteContext } from './context.js'

export function traversalRoutes(app: Service, ctx: RouteContext): void {
  app.get(
    '/v1/buckets/:bucket/timelines',
    {
      schema: {
        tags: ['traversal'],
        summary: 'The timelines of a bucket across its cluster, by owner, paginated',
        description:
          "Asks every serving node of the bucket's cluster for its listing, merges by owner (each timeline once, " +
          'with the longest head any replica reports) in owner order (AccountId32 bytes). Continue with `cursor` = ' +
          'the previous page’s `next`. A private bucket needs a signed request whose `x-ddc-capability` grants ' +
          '`read` on the bucket to the CLS account (GET /v1/info), issued by the signer (README, "Private buckets").',
        params: Type.Object({ bucket: BucketId }),
        querystring: Type.Object({
          cursor: Type.Optional(Type.String({ maxLength: 64, description: '`next` of the previous page' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
        response: { 200: ref(TimelinePage), ...errorResponses(400, 401, 403, 404, 501, 503) },
      },
    },
    async (req) => {
      const after = req.query.cursor === undefined ? undefined : decodeCursor(req.query.cursor)
      const bucket = await ctx.topology.bucket(req.params.bucket)
      const auth = listingAuth(ctx.delegation, { method: req.method, url: req.url, headers: req.headers }, bucket)
      const cluster = await ctx.topology.cluster(bucket.clusterId)
      const nodes = servingNodes(cluster, (id) => ctx.prober.health(id)).map((n) => {
        // The endpoint that answered the last probe first: it is the one known to work.
        const preferred = ctx.prober.health(n.id).endpoint
        return {
          id: n.id,
          endpoints: preferred ? [preferred, ...n.endpoints.filter((e) => e !== preferred)] : n.endpoints,
        }
      })
      const page = await listTimelinesPage({
        bucket: bucket.id,
        nodes,
        limit: req.query.limit ?? 100,
        timeoutMs: ctx.nodeTimeoutMs,
        ...(after ? { after } : {}),
        ...(auth ? { auth } : {}),
      })
      for (const f of page.failed) ctx.metrics.listingErrors.inc({ node: f.node })
      const prefix = ctx.ss58Prefix()
      return {
        bucket: bucket.id,
        timelines: page.timelines.map((t) => ({
          owner: toAddress(t.owner, prefix),
          length: t.length,
          head: t.head,
          replicas: t.replicas,
        })),
        ...(page.next ? { next: encodeCursor(page.next) } : {}),
        nodes: { queried: nodes.map((n) => n.id), failed: page.failed },
      }
    },
  )
}
