/**
 * `createViewer(init)`: the viewer's Fastify app (built with `createService`, so it has /health,
 * /openapi.json, /docs and /metrics). It serves the single-page app — index.html, /app.js (the esbuild
 * bundle of src/ui, built once at start and kept in memory) and /app.css — and a JSON API under /api that
 * reads the chain, the CLS and the storage nodes, so the browser talks to one origin only.
 */
import { NotFoundError, type Signer, UnavailableError } from '@ddc/core'
import { createService, errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { buildAssets } from './bundle.js'
import { Upstream } from './upstream.js'

export interface ViewerInit {
  /** Dev chain HTTP API URL. */
  chain: string
  /** CLS URL. */
  cls: string
  /** Storage nodes to read events from; default: those the CLS topology lists. */
  storageNodes?: string[]
  /** Timeout of each upstream request (ms, default 5000). */
  timeoutMs?: number
  /** Signs storage-node reads of private buckets (the bucket owner, or a holder of a read capability). */
  signer?: Signer
  logger?: boolean | 'fatal' | 'error' | 'warn' | 'info' | 'debug'
  publicUrl?: string
  defaultMetrics?: boolean
}

const Json = (description: string) => Type.Unknown({ description })
const Ok = (description: string, ...errors: number[]) => ({
  200: Json(description),
  ...errorResponses(...errors),
})
const Limit = (max: number, def: number) => Type.Integer({ minimum: 1, maximum: max, default: def })
const Id = Type.String({ minLength: 1, maxLength: 200 })

interface TimelineHead {
  length?: number
}
interface Matches {
  kind: 'block' | 'tx' | 'account' | 'event' | 'bucket'
  id: string
  route: string
}

export async function createViewer(init: ViewerInit): Promise<Service> {
  const up = new Upstream(init)
  const assets = await buildAssets()
  const { app } = await createService({
    name: 'ddc-viewer',
    description:
      'DDC Data and Block Viewer: a web app over the chain (blocks, transactions, anchors, accounts), the ' +
      'clusters (topology, health) and the data (bucket timelines, events, proofs). /api proxies to the ' +
      'chain, the CLS and the storage nodes.',
    logger: init.logger ?? false,
    publicUrl: init.publicUrl,
    defaultMetrics: init.defaultMetrics,
    tags: [
      { name: 'ui', description: 'The single-page app' },
      { name: 'chain', description: 'Chain explorer (proxied to the chain node)' },
      { name: 'data', description: 'Buckets, timelines and events (proxied to the CLS and storage nodes)' },
    ],
    health: [
      {
        name: 'chain',
        check: async () => {
          await up.chain('/chain/head')
          return true
        },
      },
      {
        name: 'cls',
        check: async () => {
          await up.cls('/v1/info')
          return true
        },
      },
    ],
  })

  // ---- the single-page app ----
  const page = { schema: { hide: true } }
  app.get('/', page, async (_req, reply) => reply.type('text/html; charset=utf-8').send(assets.html))
  app.get('/index.html', page, async (_req, reply) => reply.type('text/html; charset=utf-8').send(assets.html))
  app.get('/app.js', page, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(assets.js),
  )
  app.get('/app.css', page, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(assets.css),
  )

  // ---- chain ----
  app.get(
    '/api/config',
    { schema: { tags: ['ui'], summary: 'Where the viewer reads from', response: Ok('chain, cls, storageNodes') } },
    async () => ({ chain: up.chainUrl, cls: up.clsUrl, storageNodes: up.storageNodes }),
  )

  app.get(
    '/api/overview',
    {
      schema: {
        tags: ['chain'],
        summary: 'Chain info (name, best and finalized block) and the CLS topology with node health',
        response: Ok('{chain, topology, topologyError?}', 503),
      },
    },
    async () => {
      const [chain, topo] = await Promise.allSettled([up.chain('/chain'), up.cls('/v1/topology')])
      if (chain.status === 'rejected') throw chain.reason
      return {
        chain: chain.value,
        topology: topo.status === 'fulfilled' ? topo.value : null,
        topologyError: topo.status === 'rejected' ? (topo.reason as Error).message : undefined,
      }
    },
  )

  app.get(
    '/api/blocks',
    {
      schema: {
        tags: ['chain'],
        summary: 'Latest blocks, newest first',
        querystring: Type.Object({ limit: Limit(200, 20) }),
        response: Ok('list of blocks', 400, 503),
      },
    },
    async (req) => up.chain(`/blocks?limit=${req.query.limit}`),
  )

  app.get(
    '/api/blocks/:id',
    {
      schema: {
        tags: ['chain'],
        summary: 'One block (by number or hash) with its transactions, events and the anchors it holds',
        params: Type.Object({ id: Id }),
        response: Ok('{block, txs, anchors}', 400, 404, 503),
      },
    },
    async (req) => {
      const block = await up.chain<{ number: number; txHashes?: string[] }>(
        `/blocks/${encodeURIComponent(req.params.id)}`,
      )
      const [txs, anchors] = await Promise.all([
        Promise.all((block.txHashes ?? []).slice(0, 200).map((h) => up.chain(`/tx/${h}`).catch(() => ({ hash: h })))),
        up.chain(`/anchors?from=${block.number}&to=${block.number}`).catch(() => []),
      ])
      return { block, txs, anchors }
    },
  )

  app.get(
    '/api/tx/:hash',
    {
      schema: {
        tags: ['chain'],
        summary: 'A transaction with its status, block and events',
        params: Type.Object({ hash: Id }),
        response: Ok('transaction', 400, 404, 503),
      },
    },
    async (req) => up.chain(`/tx/${encodeURIComponent(req.params.hash)}`),
  )

  app.get(
    '/api/anchors',
    {
      schema: {
        tags: ['chain'],
        summary: 'Anchors in a block range (default: the last 1000 blocks)',
        querystring: Type.Object({
          from: Type.Optional(Type.Integer({ minimum: 0 })),
          to: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: Ok('{from, to, anchors}', 400, 503),
      },
    },
    async (req) => {
      let { from, to } = req.query
      if (to === undefined) to = (await up.chain<{ best: { number: number } }>('/chain/head')).best.number
      if (from === undefined) from = Math.max(0, to - 999)
      const anchors = await up.chain(`/anchors?from=${from}&to=${to}`)
      return { from, to, anchors }
    },
  )

  app.get(
    '/api/accounts/:address',
    {
      schema: {
        tags: ['chain'],
        summary: "An account's balances, nonce and the buckets it owns",
        params: Type.Object({ address: Id }),
        response: Ok('{account, buckets}', 400, 404, 503),
      },
    },
    async (req) => {
      const a = encodeURIComponent(req.params.address)
      const [account, buckets] = await Promise.all([up.chain(`/accounts/${a}`), up.chain(`/buckets?owner=${a}`)])
      return { account, buckets }
    },
  )

  // ---- data ----
  app.get(
    '/api/buckets/:bucket',
    {
      schema: {
        tags: ['data'],
        summary: 'A bucket with its cluster and nodes (with health), from the CLS',
        params: Type.Object({ bucket: Id }),
        response: Ok('bucket', 400, 404, 503),
      },
    },
    async (req) => up.cls(`/v1/buckets/${encodeURIComponent(req.params.bucket)}`),
  )

  app.get(
    '/api/buckets/:bucket/timelines',
    {
      schema: {
        tags: ['data'],
        summary: "The bucket's timelines across its cluster (CLS traversal), paginated",
        params: Type.Object({ bucket: Id }),
        querystring: Type.Object({ cursor: Type.Optional(Type.String()), limit: Limit(500, 50) }),
        response: Ok('{bucket, timelines, next?}', 400, 401, 404, 501, 503),
      },
    },
    async (req) => {
      const q = new URLSearchParams({ limit: String(req.query.limit) })
      if (req.query.cursor) q.set('cursor', req.query.cursor)
      return up.cls(`/v1/buckets/${encodeURIComponent(req.params.bucket)}/timelines?${q}`)
    },
  )

  app.get(
    '/api/buckets/:bucket/timelines/:owner/events',
    {
      schema: {
        tags: ['data'],
        summary: "A timeline's events, from the replica that holds most of it",
        params: Type.Object({ bucket: Id, owner: Id }),
        querystring: Type.Object({
          cursor: Type.Optional(Type.String()),
          limit: Limit(500, 50),
          order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
          type: Type.Optional(Type.String()),
        }),
        response: Ok('{node, length, events, next?}', 400, 401, 404, 503),
      },
    },
    async (req) => {
      const { bucket, owner } = req.params
      const base = `/buckets/${encodeURIComponent(bucket)}/timelines/${encodeURIComponent(owner)}`
      const nodes = await up.nodes(bucket, owner)
      const heads = await Promise.all(
        nodes.map((n) =>
          up.node<TimelineHead>(n + base).then(
            (h) => ({ node: n, length: h.length ?? 0 }),
            (err: Error) => ({ node: n, length: -1, err }),
          ),
        ),
      )
      const best = heads.sort((a, b) => b.length - a.length)[0]
      if (!best || best.length < 0) {
        const first = heads.find((h) => 'err' in h && h.err) as { err?: Error } | undefined
        throw first?.err ?? new NotFoundError(`no storage node holds timeline ${owner} of bucket ${bucket}`)
      }
      const q = new URLSearchParams({ limit: String(req.query.limit), order: req.query.order })
      if (req.query.cursor) q.set('cursor', req.query.cursor)
      if (req.query.type) q.set('type', req.query.type)
      const page = await up.node<{ events: unknown[]; next?: string }>(`${best.node}${base}/events?${q}`)
      return { node: best.node, length: best.length, ...page }
    },
  )

  app.get(
    '/api/events/:cid',
    {
      schema: {
        tags: ['data'],
        summary: 'One event by CID: envelope, seal, body, redacted — and the node that served it (its /ipfs gateway)',
        params: Type.Object({ cid: Id }),
        querystring: Type.Object({ bucket: Type.Optional(Type.String()), owner: Type.Optional(Type.String()) }),
        response: Ok('{node, gateway, event}', 400, 401, 404, 503),
      },
    },
    async (req) => findEvent(up, req.params.cid, req.query.bucket, req.query.owner),
  )

  app.get(
    '/api/search',
    {
      schema: {
        tags: ['ui'],
        summary: 'What a search term names: block number or hash, tx hash, address, event CID, bucket',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: Ok('{q, matches: [{kind, id, route}]}', 400),
      },
    },
    async (req) => ({ q: req.query.q.trim(), matches: await search(up, req.query.q.trim()) }),
  )

  return app
}

async function findEvent(up: Upstream, cid: string, bucket?: string, owner?: string) {
  const nodes = await up.nodes(bucket, owner)
  if (nodes.length === 0) throw new UnavailableError('no storage node is known (CLS topology is empty)')
  const path = `/events/${encodeURIComponent(cid)}`
  try {
    return await Promise.any(
      nodes.map(async (node) => ({ node, gateway: `${node}/ipfs/${cid}`, event: await up.node(node + path) })),
    )
  } catch (err) {
    const errors = (err as AggregateError).errors as Error[]
    throw (
      errors.find((e) => (e as { code?: string }).code !== 'ERR_NOT_FOUND') ??
      errors[0] ??
      new NotFoundError(`event ${cid} not found`)
    )
  }
}

async function search(up: Upstream, q: string): Promise<Matches[]> {
  const tries: Promise<Matches | undefined>[] = []
  const attempt = (p: Promise<unknown>, m: Matches) =>
    tries.push(
      p.then(
        () => m,
        () => undefined,
      ),
    )
  const e = encodeURIComponent(q)
  if (/^\d+$/.test(q)) attempt(up.chain(`/blocks/${q}`), { kind: 'block', id: q, route: `#/block/${e}` })
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    attempt(up.chain(`/blocks/${q}`), { kind: 'block', id: q, route: `#/block/${e}` })
    attempt(up.chain(`/tx/${q}`), { kind: 'tx', id: q, route: `#/tx/${e}` })
  }
  if (/^[1-9A-HJ-NP-Za-km-z]{40,50}$/.test(q) && !/^b[a-z2-7]+$/.test(q))
    attempt(up.chain(`/accounts/${q}`), { kind: 'account', id: q, route: `#/account/${e}` })
  if (/^(b[a-z2-7]{20,}|Qm[1-9A-HJ-NP-Za-km-z]{44})$/.test(q))
    attempt(findEvent(up, q), { kind: 'event', id: q, route: `#/event/${e}` })
  if (/^[\w.-]{1,64}$/.test(q)) attempt(up.cls(`/v1/buckets/${e}`), { kind: 'bucket', id: q, route: `#/bucket/${e}` })
  const found = (await Promise.all(tries)).filter((m): m is Matches => m !== undefined)
  // Any 32-byte hex is a valid AccountId32: offer it as an account only when it names no block or tx.
  if (found.length === 0 && /^0x[0-9a-fA-F]{64}$/.test(q))
    found.push({ kind: 'account', id: q, route: `#/account/${e}` })
  return found
}
