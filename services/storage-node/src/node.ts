/**
 * `createStorageNode(init)`: one storage node — store, verify pool, HTTP app — with no global state,
 * so tests and the devnet can run several in one process or each in its own (src/main.ts).
 */
import { type BucketDirectory, type BucketInfo, type Chain, staticBuckets } from '@ddc/chain'
import { cryptoReady, EscalationError, isDdcError, RequestVerifier, SealVerifier, SS58_GENERIC } from '@ddc/core'
import { createService, registerStatus, type Service, type ServiceInit } from '@ddc/service'
import { type Anchorer, type AnchorerInit, createAnchorer } from './anchor/anchorer.js'
import type { NodeContext } from './context.js'
import { stashBody } from './context.js'
import { gatewayRoutes } from './gateway.js'
import { createNodeMetrics } from './metrics.js'
import { createReplication, type Replication, type ReplicationInit } from './replication/index.js'
import { anchorRoutes } from './routes/anchors.js'
import { appendRoutes } from './routes/append.js'
import { eventRoutes } from './routes/events.js'
import { replicationRoutes } from './routes/replication.js'
import { timelineRoutes } from './routes/timelines.js'
import { usageRoutes } from './routes/usage.js'
import { CAR, CBOR, SHARED } from './schemas.js'
import { openLevelStore } from './store/level.js'
import type { TimelineStore } from './store/types.js'
import { createUsageReporter, type UsageReporter } from './usage-report.js'
import { createVerifyPool, type VerifyPool } from './verify-pool.js'

// A capability that claims more than its parent is a refusal, not a missing credential.
registerStatus(new EscalationError('').code, 403)

export interface StorageNodeInit {
  /** LevelDB directory (ignored when `store` is given). */
  dataDir?: string
  /** Another engine instead of LevelDB (closed with the node). */
  store?: TimelineStore
  /** Who owns which bucket, and which are public. */
  buckets: BucketDirectory | readonly BucketInfo[]
  /** Verification threads (default: one per core; 0 verifies on the main thread). */
  verifyWorkers?: number
  logger?: ServiceInit['logger']
  bodyLimit?: number
  maxEventsPerRequest?: number
  requestWindowMs?: number
  ss58Prefix?: number
  publicUrl?: string
  /** Process-level Prometheus metrics (off when many nodes share a process). */
  defaultMetrics?: boolean
  cacheSize?: number
  writeBufferSize?: number
  /** Clock (ms), for tests of expiry and replay windows. */
  now?: () => number
  /** Browser origins allowed to call this node (`true`: any; default none). */
  cors?: ServiceInit['cors']
  /** The chain, signing as this node's key: anchors and usage reports go through it. */
  chain?: Chain
  /** Anchor timeline heads every `periodMs` (needs `chain`); `isPrimary` picks the timelines (default: all). */
  anchor?: { periodMs: number; isPrimary?: AnchorerInit['isPrimary'] }
  /** Report usage every `periodMs` (needs `chain`); with the cluster manager's `manager` chain, run payouts. */
  usageReports?: { periodMs: number; manager?: Chain }
  /** Replicate with the other nodes of the cluster (src/replication): quorum writes, repair, fork evidence. */
  replication?: ReplicationInit
}

export interface StorageNode {
  app: Service
  store: TimelineStore
  pool: VerifyPool
  anchorer?: Anchorer
  usageReporter?: UsageReporter
  replication?: Replication
  close(): Promise<void>
}

export async function createStorageNode(init: StorageNodeInit): Promise<StorageNode> {
  await cryptoReady()
  const now = init.now ?? Date.now
  const pool = createVerifyPool(init.verifyWorkers === undefined ? {} : { size: init.verifyWorkers })
  const { app, metrics } = await createService({
    name: 'ddc-storage-node',
    description:
      'DDC storage node: verifies and durably stores signed, hash-linked timelines; serves reads, CAR exports ' +
      'and the IPFS trustless gateway.',
    logger: init.logger ?? false,
    bodyLimit: init.bodyLimit ?? 32 * 1024 * 1024,
    defaultMetrics: init.defaultMetrics ?? true,
    ...(init.publicUrl ? { publicUrl: init.publicUrl } : {}),
    ...(init.cors ? { cors: init.cors } : {}),
    tags: [
      { name: 'events', description: 'Append and read single events' },
      { name: 'timelines', description: 'Buckets, timelines, ranges, filters, exports' },
      { name: 'blocks', description: 'Content-addressed blocks' },
      { name: 'gateway', description: 'IPFS trustless gateway' },
      { name: 'ops', description: 'Health, metrics, usage' },
      { name: 'anchors', description: 'Proofs that events are anchored on chain' },
      ...(init.replication ? [{ name: 'replication', description: 'Between the replicas of a cluster' }] : []),
    ],
    health: [{ name: 'store', check: () => store.healthy() }],
  })
  const nodeMetrics = createNodeMetrics(metrics.registry)
  const store =
    init.store ??
    (await openLevelStore({
      dir: init.dataDir ?? '.ddc/storage-node',
      onCommit: nodeMetrics.onCommit,
      ...(init.cacheSize ? { cacheSize: init.cacheSize } : {}),
      ...(init.writeBufferSize ? { writeBufferSize: init.writeBufferSize } : {}),
    }))
  const seals = new SealVerifier()
  const ctx: NodeContext = {
    store,
    pool,
    buckets: Array.isArray(init.buckets)
      ? staticBuckets(init.buckets as BucketInfo[])
      : (init.buckets as BucketDirectory),
    seals,
    requests: new RequestVerifier({ windowMs: init.requestWindowMs ?? 300_000, now, verifier: seals }),
    now,
    metrics: nodeMetrics,
    ss58Prefix: init.ss58Prefix ?? SS58_GENERIC,
    maxEvents: init.maxEventsPerRequest ?? 10_000,
  }

  // Binary bodies stay bytes; JSON bodies are kept raw too, for signed-request body hashes.
  const json = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    stashBody(req, body as Buffer)
    json(req, body as unknown as string, done)
  })
  app.addContentTypeParser([CBOR, CAR], { parseAs: 'buffer' }, (req, body, done) => {
    stashBody(req, body as Buffer)
    done(null, '')
  })
  for (const s of SHARED) app.addSchema(s)
  app.addHook('onError', async (_req, _reply, err) => {
    if (isDdcError(err)) nodeMetrics.refused.inc({ code: err.code })
  })
  const replication = init.replication
    ? createReplication(init.replication, ctx, metrics.registry, (obj, msg) => app.log.info(obj, msg))
    : undefined
  if (replication) {
    // Routes read through a store that repairs corrupted blocks from the replicas.
    ctx.store = replication.blocks.wrap(store)
    ctx.replication = replication
    replicationRoutes(app, ctx, replication, store)
  }
  appendRoutes(app, ctx)
  timelineRoutes(app, ctx)
  eventRoutes(app, ctx)
  gatewayRoutes(app, ctx)
  usageRoutes(app, ctx)
  anchorRoutes(app, ctx)
  const onError = (what: string) => (err: unknown) => app.log.warn({ err }, `${what} failed; retrying next period`)
  const anchorer =
    init.chain && init.anchor
      ? createAnchorer({
          store,
          chain: init.chain,
          // A replicated node anchors the timelines it is first replica of, not every copy it holds.
          ...(replication ? { isPrimary: replication.isPrimary } : {}),
          ...init.anchor,
          now,
          onError: onError('anchoring'),
        })
      : undefined
  const usageReporter =
    init.chain && init.usageReports
      ? createUsageReporter({ store, chain: init.chain, ...init.usageReports, now, onError: onError('usage report') })
      : undefined

  // Closing the app (node.close(), or runService on SIGTERM) stops the parts after the last request.
  app.addHook('onClose', async () => {
    replication?.close()
    await anchorer?.close()
    await usageReporter?.close()
    await pool.close()
    await store.close()
  })
  await app.ready()
  await pool.ready()
  replication?.start()

  let closed = false
  return {
    app,
    store,
    pool,
    ...(anchorer ? { anchorer } : {}),
    ...(usageReporter ? { usageReporter } : {}),
    ...(replication ? { replication } : {}),
    async close() {
      if (closed) return
      closed = true
      await app.close()
    },
  }
}
