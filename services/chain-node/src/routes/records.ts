/** On-chain records: anchors, CID remarks, usage reports and payouts. */
import { InvalidInputError } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { RouteContext } from './context.js'

const Cid = Type.String({ minLength: 8, maxLength: 128 })
const ClusterPeriod = Type.Object({ cluster: Type.String({ maxLength: 64 }), period: Type.Integer({ minimum: 0 }) })

export function recordRoutes(app: Service, { q }: RouteContext): void {
  app.get(
    '/anchors',
    {
      schema: {
        tags: ['anchors', 'explorer'],
        summary: 'Anchors in a block range (at most 10000 blocks)',
        querystring: Type.Object({ from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }) }),
        response: { 200: Type.Array(Type.Ref('Anchor')), ...errorResponses(400) },
      },
    },
    async (req) => {
      const { from, to } = req.query
      if (to < from || to - from > 10_000) throw new InvalidInputError('from ≤ to, at most 10000 blocks apart')
      return q.anchors(from, to)
    },
  )
  app.get(
    '/anchors/:root',
    {
      schema: {
        tags: ['anchors'],
        summary: 'The anchor of a Merkle root: block, transaction, finality',
        params: Type.Object({ root: Cid }),
        response: { 200: Type.Ref('Anchor'), ...errorResponses(400, 404) },
      },
    },
    async (req) => q.anchor(req.params.root),
  )
  app.get(
    '/remarks/:cid',
    {
      schema: {
        tags: ['remarks'],
        summary: 'The on-chain record of an event CID, with its transfer if it carried one',
        params: Type.Object({ cid: Cid }),
        response: { 200: Type.Ref('Remark'), ...errorResponses(400, 404) },
      },
    },
    async (req) => q.remark(req.params.cid),
  )
  app.get(
    '/usage/:cluster/:period',
    {
      schema: {
        tags: ['payouts'],
        summary: 'Usage reported for a cluster in a period',
        params: ClusterPeriod,
        response: { 200: Type.Array(Type.Ref('UsageRecord')) },
      },
    },
    async (req) => q.usage(req.params.cluster, req.params.period),
  )
  app.get(
    '/payouts/:cluster/:period',
    {
      schema: {
        tags: ['payouts'],
        summary: 'The payout of a cluster for a period: charges, shortfalls, provider and treasury shares',
        params: ClusterPeriod,
        response: { 200: Type.Ref('Payout'), ...errorResponses(404) },
      },
    },
    async (req) => q.payout(req.params.cluster, req.params.period),
  )
}
