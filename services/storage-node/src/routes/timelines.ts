/** Buckets, timelines and timeline reads: heads, event pages (ranges, filters, tails) and CAR export. */
import { NotFoundError, toAddress } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { authorizeRead } from '../access.js'
import { carStream, exportTimeline } from '../car.js'
import type { NodeContext } from '../context.js'
import { Address, Binary, CAR, CBOR } from '../schemas.js'
import type { EventQuery } from '../store/types.js'
import { bytesOf, cborPage, decodeCursor, encodeCursor, eventJson, loadEvents, parseOwner } from '../timeline.js'

const BucketParam = Type.Object({ bucket: Type.String({ minLength: 1, maxLength: 128 }) })
const TimelineParams = Type.Object({
  bucket: Type.String({ minLength: 1, maxLength: 128 }),
  owner: Address,
})

const EventsQuery = Type.Object({
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'First seq (inclusive)' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'Last seq (inclusive)' })),
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only events of this type' })),
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'Client timestamp ≥ since (ms)' })),
  until: Type.Optional(Type.Integer({ minimum: 0, description: 'Client timestamp < until (ms)' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, description: '`next` of the previous page' })),
  body: Type.Optional(Type.Boolean({ default: true, description: 'Include body blocks' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('cbor')])),
})

export const wantsCbor = (req: FastifyRequest, format?: string) =>
  format === 'cbor' || (format === undefined && (req.headers.accept ?? '').includes(CBOR))

export function timelineRoutes(app: Service, ctx: NodeContext): void {
  const view = (bucket: string, owner: Uint8Array, head: { seq: number; cid: { toString(): string } } | null) => ({
    bucket,
    owner: toAddress(owner, ctx.ss58Prefix),
    length: head ? head.seq + 1 : 0,
    head: head ? { seq: head.seq, cid: head.cid.toString() } : null,
  })

  app.get(
    '/buckets',
    {
      schema: {
        tags: ['timelines'],
        summary: 'Buckets with data on this node',
        response: { 200: Type.Object({ buckets: Type.Array(Type.Object({ id: Type.String() })) }) },
      },
    },
    async () => ({ buckets: (await ctx.store.buckets()).map((id) => ({ id })) }),
  )

  app.get(
    '/buckets/:bucket/timelines',
    {
      schema: {
        tags: ['timelines'],
        summary: 'Timelines of a bucket (paginated, by owner)',
        params: BucketParam,
        querystring: Type.Object({
          after: Type.Optional(Address),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
        response: {
          200: Type.Object({ timelines: Type.Array(Type.Ref('Timeline')), next: Type.Optional(Type.String()) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const { bucket } = req.params
      await authorizeRead(ctx, req, bucket)
      const limit = req.query.limit ?? 100
      const after = req.query.after === undefined ? undefined : parseOwner(req.query.after)
      const rows = await ctx.store.timelines(bucket, { limit, ...(after ? { after } : {}) })
      ctx.store.recordUsage(bucket, { requests: 1 })
      const timelines = rows.map((t) => view(bucket, t.owner, t.head))
      const last = timelines[timelines.length - 1]
      return rows.length === limit && last ? { timelines, next: last.owner } : { timelines }
    },
  )

  app.get(
    '/buckets/:bucket/timelines/:owner',
    {
      schema: {
        tags: ['timelines'],
        summary: 'Head and length of a timeline',
        params: TimelineParams,
        response: { 200: Type.Ref('Timeline'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const owner = parseOwner(req.params.owner)
      await authorizeRead(ctx, req, req.params.bucket, owner)
      ctx.store.recordUsage(req.params.bucket, { requests: 1 })
      return view(req.params.bucket, owner, await ctx.store.head({ bucket: req.params.bucket, owner }))
    },
  )

  app.get(
    '/buckets/:bucket/timelines/:owner/events',
    {
      schema: {
        tags: ['timelines'],
        summary: 'Read events: seq ranges either way, type and time filters, tails, pages',
        description:
          'Reads through the node’s indexes (never by walking links): `order=desc&limit=K` is the last K events ' +
          'in O(K); `type` uses the type index, `since`/`until` the client-timestamp index. Pages continue with ' +
          '`cursor` = the previous page’s `next`. `format=cbor` (or `Accept: application/vnd.ipld.dag-cbor`) ' +
          'answers {events: [{env, seal, body?, redacted?}], next?} in DAG-CBOR — the append format.',
        params: TimelineParams,
        querystring: EventsQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: Type.Ref('EventPage') },
              [CBOR]: { schema: Binary('DAG-CBOR {events: [{env, seal, body?, redacted?}], next?}') },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        } as never,
      },
    },
    async (req, reply) => {
      const { bucket } = req.params
      const owner = parseOwner(req.params.owner)
      await authorizeRead(ctx, req, bucket, owner)
      const q = req.query
      const query: EventQuery = { order: q.order ?? 'asc', limit: q.limit ?? 100 }
      if (q.from !== undefined) query.fromSeq = q.from
      if (q.to !== undefined) query.toSeq = q.to
      if (q.type !== undefined) query.type = q.type
      if (q.since !== undefined) query.since = q.since
      if (q.until !== undefined) query.until = q.until
      if (q.cursor !== undefined) query.after = decodeCursor(q.cursor)
      const page = await ctx.store.query({ bucket, owner }, query)
      const events = await loadEvents(ctx.store, page.events, q.body !== false)
      const bytesRead = bytesOf(events)
      ctx.store.recordUsage(bucket, { bytesRead, requests: 1 })
      ctx.metrics.bytesRead.inc(bytesRead)
      const next = page.next ? encodeCursor(page.next) : undefined
      if (wantsCbor(req, q.format)) return reply.type(CBOR).send(cborPage(events, next))
      return { events: events.map((e) => eventJson(e, ctx.ss58Prefix)), ...(next ? { next } : {}) }
    },
  )

  app.get(
    '/buckets/:bucket/timelines/:owner/car',
    {
      schema: {
        tags: ['timelines'],
        summary: 'Export a whole timeline as a CAR file',
        description:
          'CAR v1 rooted at the head: every envelope (newest first), its capability chain and body block, and after ' +
          'each envelope a DAG-CBOR seal block {event, seal} (not linked from the DAG) so the export verifies offline.',
        params: TimelineParams,
        response: { 200: Binary('CAR v1'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { bucket } = req.params
      const owner = parseOwner(req.params.owner)
      await authorizeRead(ctx, req, bucket, owner)
      const ref = { bucket, owner }
      const head = await ctx.store.head(ref)
      if (!head) throw new NotFoundError(`timeline ${req.params.owner} in ${bucket} is empty`)
      ctx.store.recordUsage(bucket, { requests: 1 })
      return reply
        .type(`${CAR}; version=1`)
        .header('content-disposition', `attachment; filename="${bucket}-${toAddress(owner, ctx.ss58Prefix)}.car"`)
        .header('x-content-type-options', 'nosniff')
        .send(carStream([head.cid], exportTimeline(ctx.store, ref)))
    },
  )
}
