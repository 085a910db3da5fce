/** State reads: accounts, buckets, clusters and storage nodes (as of the best block). */
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { RouteContext } from './context.js'

const Id = Type.String({ minLength: 1, maxLength: 128 })

export function stateRoutes(app: Service, { q }: RouteContext): void {
  app.get(
    '/accounts',
    {
      schema: {
        tags: ['state', 'explorer'],
        summary: 'Accounts the chain holds a balance or nonce for',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: Type.Array(Type.Ref('Account')) },
      },
    },
    async (req) => q.accounts(req.query.limit),
  )
  app.get(
    '/accounts/:address',
    {
      schema: {
        tags: ['state', 'explorer'],
        summary: 'Balance, deposit and nonce of an account (SS58 or 0x-hex AccountId32)',
        params: Type.Object({ address: Id }),
        response: { 200: Type.Ref('Account'), ...errorResponses(400) },
      },
    },
    async (req) => q.account(req.params.address),
  )
  app.get(
    '/buckets',
    {
      schema: {
        tags: ['state'],
        summary: 'Buckets, optionally of one owner',
        querystring: Type.Object({ owner: Type.Optional(Id) }),
        response: { 200: Type.Array(Type.Ref('Bucket')), ...errorResponses(400) },
      },
    },
    async (req) => q.buckets(req.query.owner),
  )
  app.get(
    '/buckets/:id',
    {
      schema: {
        tags: ['state'],
        summary: 'A bucket: owner, cluster, visibility, settings',
        params: Type.Object({ id: Id }),
        response: { 200: Type.Ref('Bucket'), ...errorResponses(404) },
      },
    },
    async (req) => q.bucket(req.params.id),
  )
  app.get(
    '/clusters',
    { schema: { tags: ['state'], summary: 'Clusters', response: { 200: Type.Array(Type.Ref('Cluster')) } } },
    async () => q.clusters(),
  )
  app.get(
    '/clusters/:id',
    {
      schema: {
        tags: ['state'],
        summary: 'A cluster: manager, replication factor, nodes',
        params: Type.Object({ id: Id }),
        response: { 200: Type.Ref('Cluster'), ...errorResponses(404) },
      },
    },
    async (req) => q.cluster(req.params.id),
  )
  app.get(
    '/nodes',
    {
      schema: {
        tags: ['state'],
        summary: 'Storage nodes, optionally of one cluster',
        querystring: Type.Object({ cluster: Type.Optional(Id) }),
        response: { 200: Type.Array(Type.Ref('StorageNode')) },
      },
    },
    async (req) => q.nodes(req.query.cluster),
  )
  app.get(
    '/nodes/:id',
    {
      schema: {
        tags: ['state'],
        summary: 'A storage node by id (0x-hex public key) or SS58 address',
        params: Type.Object({ id: Id }),
        response: { 200: Type.Ref('StorageNode'), ...errorResponses(400, 404) },
      },
    },
    async (req) => q.node(req.params.id),
  )
}
