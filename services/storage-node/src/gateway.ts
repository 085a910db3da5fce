/**
 * IPFS trustless gateway (https://specs.ipfs.tech/http-gateways/trustless-gateway/): `GET /ipfs/{cid}`
 * as a raw block (`Accept: application/vnd.ipld.raw` or `?format=raw`) or a CAR v1 of the DAG under it
 * (`application/vnd.ipld.car` or `?format=car`, `dag-scope=block|entity|all`, order=dfs, dups=n), so
 * any IPFS client can fetch and verify DDC data. Private buckets' blocks need a signed request.
 */
import { InvalidInputError, NotFoundError, parseCid } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { authorizeRead, mayRead } from './access.js'
import { carStream, type Scope, walkDag } from './car.js'
import type { NodeContext } from './context.js'
import { Binary, CAR, CidString, RAW } from './schemas.js'

const IMMUTABLE = 'public, max-age=29030400, immutable'

function pickFormat(format: string | undefined, accept: string | undefined): 'raw' | 'car' | undefined {
  if (format === 'raw' || format === 'car') return format
  if (!accept) return undefined
  for (const part of accept.split(',')) {
    const type = part.split(';')[0]!.trim()
    if (type === RAW) return 'raw'
    if (type === CAR) return 'car'
  }
  return undefined
}

export function gatewayRoutes(app: Service, ctx: NodeContext): void {
  app.get(
    '/ipfs/:cid',
    {
      schema: {
        tags: ['gateway'],
        summary: 'IPFS trustless gateway: a raw block or a CAR',
        description:
          'Ask with `Accept: application/vnd.ipld.raw` (or `?format=raw`) for the block, or ' +
          '`Accept: application/vnd.ipld.car` (or `?format=car`) for a CAR v1 of the DAG under it ' +
          '(`dag-scope=all` follows links: prev, body, cap, prf). Every block verifies against its CID.',
        params: Type.Object({ cid: CidString }),
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('car')])),
          'dag-scope': Type.Optional(
            Type.Union([Type.Literal('block'), Type.Literal('entity'), Type.Literal('all')], { default: 'all' }),
          ),
        }),
        response: {
          200: {
            content: {
              [RAW]: { schema: Binary('The block') },
              [CAR]: { schema: Binary('CAR v1, order=dfs, dups=n') },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        } as never,
      },
    },
    async (req, reply) => {
      const format = pickFormat(req.query.format, req.headers.accept)
      if (!format)
        throw new InvalidInputError(
          'this is a trustless gateway: ask for application/vnd.ipld.raw or application/vnd.ipld.car (Accept or ?format=)',
        )
      const cid = parseCid(req.params.cid)
      const block = await ctx.store.getBlock(cid)
      if (!block) throw new NotFoundError(`no block ${cid} on this node`)
      if (block.ref) await authorizeRead(ctx, req, block.ref.bucket, block.ref.owner)
      reply.header('x-content-type-options', 'nosniff').header('cache-control', IMMUTABLE)
      if (block.ref) ctx.store.recordUsage(block.ref.bucket, { requests: 1, bytesRead: block.bytes.length })
      if (format === 'raw') {
        ctx.metrics.bytesRead.inc(block.bytes.length)
        return reply
          .type(RAW)
          .header('etag', `"${cid}.raw"`)
          .header('content-disposition', `attachment; filename="${cid}.bin"`)
          .send(Buffer.from(block.bytes))
      }
      const scope = (req.query['dag-scope'] ?? 'all') as Scope
      const allowed = (b: { ref?: { bucket: string; owner: Uint8Array } }) =>
        b.ref ? mayRead(ctx, req, b.ref.bucket, b.ref.owner) : Promise.resolve(true)
      return reply
        .type(`${CAR}; version=1; order=dfs; dups=n`)
        .header('etag', scope === 'all' ? `"${cid}.car"` : `"${cid}.${scope}.car"`)
        .header('content-disposition', `attachment; filename="${cid}.car"`)
        .send(carStream([cid], walkDag(ctx.store, cid, block, scope, allowed)))
    },
  )
}
