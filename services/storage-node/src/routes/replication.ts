/**
 * The peer API of a replicated node (src/replication): pushes of verified appends from the first
 * replica, timeline heads, event ranges and single blocks for repair — each only for requests signed
 * by a node key of this cluster — plus the public fork evidence (GET /forks) and replication status.
 */
import {
  type CID,
  decodeSignedCapability,
  encodeCanonical,
  fromHex,
  NotFoundError,
  parseCid,
  type Seal,
  type SignedCapability,
  sealToJson,
  toAddress,
  toHex,
} from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { mayRead } from '../access.js'
import { type NodeContext, rawBody } from '../context.js'
import { corruptBlockOf } from '../replication/blocks.js'
import type { Replication } from '../replication/index.js'
import { Address, Binary, CBOR, CidString, RAW } from '../schemas.js'
import type { Block, TimelineStore } from '../store/types.js'
import { loadEvents, parseOwner } from '../timeline.js'
import { cborRequest } from '../wire.js'

const BucketParam = Type.Object({ bucket: Type.String({ minLength: 1, maxLength: 128 }) })
const MAX_PAGE = 1000

/** The capability chain (root first) whose leaf is `leaf`, from the store. */
async function chainOf(store: TimelineStore, leaf: CID) {
  const chain: { cap: Uint8Array; seal: unknown }[] = []
  for (let cid: CID | undefined = leaf; cid && chain.length < 8; ) {
    const [block, seal]: [Block | undefined, Seal | undefined] = await Promise.all([
      store.getBlock(cid),
      store.capabilitySeal(cid),
    ])
    if (!block || !seal) return undefined
    chain.unshift({ cap: block.bytes, seal })
    const link: SignedCapability = decodeSignedCapability(block.bytes, seal)
    cid = link.capability.prf
  }
  return chain
}

export function replicationRoutes(app: Service, ctx: NodeContext, rep: Replication, rawStore: TimelineStore): void {
  // A read that met a corrupted block answers ERR_UNAVAILABLE; fix the block before that answer leaves.
  app.addHook('onError', async (_req, _reply, err) => {
    const cid = corruptBlockOf(err)
    if (cid) await rep.blocks.repair(cid).catch(() => false)
  })

  app.post(
    '/replication/events',
    {
      schema: {
        tags: ['replication'],
        summary: 'Store an append pushed by the first replica (cluster members only)',
        description:
          'The DAG-CBOR append body as the client sent it, signed by a node key of this cluster. Verified like any ' +
          'append; when it does not extend the local head the missing range is fetched from the sender first; a ' +
          'different envelope at the same seq is kept as fork evidence (409 ERR_FORK).',
        body: { content: { [CBOR]: { schema: Binary('DAG-CBOR append body') } } } as never,
        response: { 200: Type.Ref('AppendResult'), ...errorResponses(400, 401, 403, 409, 413, 503) },
      },
    },
    async (req) => {
      const peer = await rep.peerOf(req)
      const wire = cborRequest(rawBody(req) ?? new Uint8Array(0))
      const decoded = await ctx.pool.decode(wire.raw, ctx.maxEvents)
      return rep.replica.receive(peer, wire, decoded)
    },
  )

  app.get(
    '/replication/buckets/:bucket/heads',
    {
      schema: {
        tags: ['replication'],
        summary: 'Heads of the timelines of a bucket, by owner (cluster members only)',
        params: BucketParam,
        querystring: Type.Object({
          after: Type.Optional(Type.String({ pattern: '^0x[0-9a-f]{64}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 500 })),
        }),
        response: {
          200: Type.Object({
            heads: Type.Array(Type.Object({ owner: Type.String(), seq: Type.Integer(), cid: CidString })),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (req) => {
      await rep.peerOf(req)
      const { after, limit } = req.query
      const rows = await ctx.store.timelines(req.params.bucket, {
        limit: limit ?? 500,
        ...(after ? { after: fromHex(after, 32) } : {}),
      })
      return { heads: rows.map((t) => ({ owner: toHex(t.owner), seq: t.head.seq, cid: t.head.cid.toString() })) }
    },
  )

  app.get(
    '/replication/buckets/:bucket/timelines/:owner/events',
    {
      schema: {
        tags: ['replication'],
        summary: 'Events of a seq range in the append form (cluster members only)',
        description:
          'DAG-CBOR {events: [{env, seal, body?}], caps?}: exactly what POST /events takes, so the fetching node ' +
          'verifies it with its own ingest pipeline; an event whose body a tombstone erased comes without `body` ' +
          '(the fetching node accepts that only with the erasing tombstone in the same batch). 204 when the range is empty.',
        params: Type.Object({ bucket: Type.String({ minLength: 1, maxLength: 128 }), owner: Address }),
        querystring: Type.Object({ from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }) }),
        response: { 200: Binary('DAG-CBOR append body'), 204: Type.Null(), ...errorResponses(400, 401) },
      },
    },
    async (req, reply) => {
      await rep.peerOf(req)
      const ref = { bucket: req.params.bucket, owner: parseOwner(req.params.owner) }
      const { from, to } = req.query
      const page = await ctx.store.query(ref, {
        order: 'asc',
        fromSeq: from,
        toSeq: to,
        limit: Math.max(1, Math.min(MAX_PAGE, to - from + 1)),
      })
      const events = await loadEvents(ctx.store, page.events)
      if (events.length === 0) return reply.code(204).send(null)
      const caps = new Map<string, { cap: Uint8Array; seal: unknown }[]>()
      for (const e of events) {
        const leaf = e.envelope.cap
        if (!leaf || caps.has(leaf.toString())) continue
        const chain = await chainOf(ctx.store, leaf)
        if (chain) caps.set(leaf.toString(), chain)
      }
      const body = {
        events: events.map((e) => ({ env: e.bytes, seal: e.seal, ...(e.body ? { body: e.body } : {}) })),
        ...(caps.size ? { caps: [...caps.values()] } : {}),
      }
      return reply.type(CBOR).send(Buffer.from(encodeCanonical(body)))
    },
  )

  app.get(
    '/replication/blocks/:cid',
    {
      schema: {
        tags: ['replication'],
        summary: 'A raw block by CID, to repair a corrupted copy (cluster members only)',
        params: Type.Object({ cid: CidString }),
        response: { 200: Binary('The block, verified against its CID'), ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (req, reply) => {
      await rep.peerOf(req)
      const cid = parseCid(req.params.cid)
      // The engine itself: a corrupted copy here must not start a repair loop between two nodes.
      const block = await rawStore.getBlock(cid)
      if (!block) throw new NotFoundError(`no block ${cid} on this node`)
      return reply.type(RAW).send(Buffer.from(block.bytes))
    },
  )

  app.get(
    '/forks',
    {
      schema: {
        tags: ['replication'],
        summary: 'Fork evidence: two different signed envelopes met at one seq of a timeline',
        description:
          'Each record keeps both envelopes (base64 of their canonical bytes) and seals, and where each came from ' +
          '(`local` or a peer node id). Records of private buckets are listed only to requests that may read them.',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }),
        response: {
          200: Type.Object({
            forks: Type.Array(
              Type.Object({
                bucket: Type.String(),
                owner: Type.String(),
                seq: Type.Integer(),
                detectedAt: Type.Integer(),
                sides: Type.Array(
                  Type.Object({
                    cid: CidString,
                    source: Type.String(),
                    envelope: Type.String({ description: 'base64 canonical envelope bytes' }),
                    seal: Type.Record(Type.String(), Type.Unknown()),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const records = await rep.forks.list(req.query.limit ?? 100)
      const visible = []
      for (const r of records) if (await mayRead(ctx, req, r.bucket, r.owner)) visible.push(r)
      return {
        forks: visible.map((r) => ({
          bucket: r.bucket,
          owner: toAddress(r.owner, ctx.ss58Prefix),
          seq: r.seq,
          detectedAt: r.detectedAt,
          sides: r.sides.map((s) => ({
            cid: s.cid.toString(),
            source: s.source,
            envelope: Buffer.from(s.env).toString('base64'),
            seal: sealToJson(s.seal) as unknown as Record<string, unknown>,
          })),
        })),
      }
    },
  )

  app.get(
    '/replication/status',
    {
      schema: {
        tags: ['replication'],
        summary: "This node's id, its view of its peers, and whether it is still catching up",
        response: {
          200: Type.Object({
            node: Type.String(),
            catchingUp: Type.Boolean(),
            replicationFactor: Type.Integer(),
            writeQuorum: Type.Integer(),
            peers: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), up: Type.Boolean() })),
          }),
        },
      },
    },
    async () => {
      const cluster = await rep.topology.current()
      return {
        node: rep.topology.selfId,
        catchingUp: rep.coordinator.catchingUp,
        replicationFactor: cluster.replicationFactor,
        writeQuorum: rep.writeQuorum,
        peers: cluster.nodes
          .filter((n) => n.id !== rep.topology.selfId)
          .map((n) => ({ id: n.id, url: n.url, up: rep.health.isUp(n.id) })),
      }
    },
  )
}
