/** The topology document the SDK caches (with ETag), node health, and what this CLS is. */
import { NotFoundError, toAddress } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { Info, NodeView, ref, Topology } from '../schemas.js'
import { nodeView, topologyDocument } from '../views.js'
import type { RouteContext } from './context.js'

/** True when an If-None-Match header names this ETag (or `*`); weak comparison, as for GET. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '')
    return tag === '*' || tag === etag
  })
}

export function topologyRoutes(app: Service, ctx: RouteContext): void {
  app.get(
    '/v1/topology',
    {
      schema: {
        tags: ['placement'],
        summary: 'Clusters, their nodes, replication factors and health: all a client needs to place timelines',
        description:
          'Answers an `ETag` that changes exactly when this document does (topology on chain, or a node going up ' +
          'or down; not latencies). Poll with `If-None-Match: <etag>`: 304 and no body while nothing changed.',
        response: {
          200: ref(Topology),
          304: Type.Null({ description: 'not modified since the ETag sent in If-None-Match' }),
          ...errorResponses(503),
        },
      },
    },
    async (req, reply) => {
      const doc = topologyDocument(ctx.topology.current(), ctx.prober)
      reply.header('etag', doc.etag).header('cache-control', 'no-cache')
      if (matches(req.headers['if-none-match'], doc.etag)) return reply.code(304).send(null)
      return doc
    },
  )

  app.get(
    '/v1/nodes',
    {
      schema: {
        tags: ['health'],
        summary: 'Every storage node on chain with its health: status, latency, last seen',
        response: { 200: Type.Object({ nodes: Type.Array(ref(NodeView)) }), ...errorResponses(503) },
      },
    },
    async () => {
      const prefix = ctx.ss58Prefix()
      const nodes = [...ctx.topology.current().nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
      return { nodes: nodes.map((n) => nodeView(n, ctx.prober, prefix)) }
    },
  )

  app.get(
    '/v1/nodes/:id',
    {
      schema: {
        tags: ['health'],
        summary: 'One storage node with its health',
        params: Type.Object({ id: Type.String({ description: '0x-hex public key of the node', maxLength: 66 }) }),
        response: { 200: ref(NodeView), ...errorResponses(404, 503) },
      },
    },
    async (req) => {
      const node = ctx.topology.current().nodes.get(req.params.id.toLowerCase())
      if (!node) throw new NotFoundError(`node ${req.params.id} is not on chain (ids are 0x-hex public keys)`)
      return nodeView(node, ctx.prober, ctx.ss58Prefix())
    },
  )

  app.get(
    '/v1/info',
    {
      schema: {
        tags: ['placement'],
        summary: 'This CLS: its account (for delegated traversal), its chain and its topology cache',
        response: { 200: ref(Info), ...errorResponses(503) },
      },
    },
    async () => {
      const s = ctx.topology.current()
      const account = ctx.delegation.account
      return {
        service: 'ddc-cls' as const,
        account: account ? toAddress(account.accountId, s.info.ss58Prefix) : null,
        chain: {
          kind: s.info.kind,
          name: s.info.name,
          genesisHash: s.info.genesisHash,
          ss58Prefix: s.info.ss58Prefix,
          finalized: ctx.topology.finalized ?? null,
        },
        topology: {
          etag: topologyDocument(s, ctx.prober).etag,
          fetchedAt: s.fetchedAt,
          clusters: s.clusters.size,
          nodes: s.nodes.size,
        },
      }
    },
  )
}
