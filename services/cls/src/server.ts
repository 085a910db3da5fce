/**
 * `createCls(init)`: the Content Lookup Service — topology cache (./topology.ts), health prober
 * (./health.ts), key directory (./key-directory.ts) and the HTTP routes (./routes) on the service kit's
 * Fastify (OpenAPI at /openapi.json, Swagger UI at /docs, /health, /metrics, typed error mapping).
 * Takes any `Chain`; the caller owns it (closing the CLS does not close the chain).
 */
import { join } from 'node:path'
import { CHAIN_ERROR_STATUS, type Chain } from '@ddc/chain'
import { cryptoReady, RequestVerifier, SealVerifier, type Signer, SS58_GENERIC } from '@ddc/core'
import { createService, registerStatus, type Service, type ServiceInit } from '@ddc/service'
import { createHealthProber, type HealthProber } from './health.js'
import { type KeyDirectory, openKeyDirectory } from './key-directory.js'
import { createClsMetrics } from './metrics.js'
import type { RouteContext } from './routes/context.js'
import { keyRoutes } from './routes/keys.js'
import { lookupRoutes } from './routes/lookup.js'
import { topologyRoutes } from './routes/topology.js'
import { traversalRoutes } from './routes/traversal.js'
import { SCHEMAS } from './schemas.js'
import { createTopology, type Topology } from './topology.js'

for (const [code, status] of Object.entries(CHAIN_ERROR_STATUS)) registerStatus(code, status)

export interface ClsInit {
  chain: Chain
  /** Let browser pages call the CLS (any origin, or a list). */
  cors?: ServiceInit['cors']
  /** Folder of the key directory (default `.ddc/cls`). */
  dataDir?: string
  /** The CLS's own account, for reading private buckets with capabilities delegated to it. */
  account?: Signer
  refreshIntervalMs?: number
  followFinalized?: boolean
  bucketCacheMs?: number
  probeIntervalMs?: number
  probeTimeoutMs?: number
  failuresBeforeDown?: number
  successesBeforeUp?: number
  nodeTimeoutMs?: number
  maxKeySkewMs?: number
  logger?: ServiceInit['logger']
  publicUrl?: string
  /** Process-level default metrics (off in tests that start many services). */
  defaultMetrics?: boolean
  now?: () => number
}

export interface Cls {
  app: Service
  topology: Topology
  prober: HealthProber
  keys: KeyDirectory
  /** Stops serving, probing and following the chain; closes the key directory. */
  close(): Promise<void>
}

const TAGS = [
  { name: 'placement', description: 'Where timelines live: replica sets and the topology to compute them' },
  { name: 'buckets', description: 'Buckets with their cluster; the buckets of an account' },
  { name: 'traversal', description: 'The timelines of a bucket across its cluster (per-app traversal)' },
  { name: 'keys', description: 'Key directory: signed X25519 encryption keys of accounts' },
  { name: 'health', description: 'Storage node health as the CLS probes it' },
  { name: 'ops', description: 'Liveness' },
]

export async function createCls(init: ClsInit): Promise<Cls> {
  await cryptoReady()
  const now = init.now ?? Date.now
  const keys = await openKeyDirectory({
    dir: join(init.dataDir ?? '.ddc/cls', 'keys'),
    ...(init.maxKeySkewMs === undefined ? {} : { maxSkewMs: init.maxKeySkewMs }),
    now,
  })
  let topology: Topology | undefined
  let service: Awaited<ReturnType<typeof createService>>
  try {
    service = await createService({
      name: 'ddc-cls',
      description:
        'The DDC Content Lookup Service: which cluster and nodes hold a bucket, the ordered replica set of a ' +
        'timeline (rendezvous hashing over healthy nodes), node health, per-app traversal of a bucket across its ' +
        'cluster, and the key directory of signed X25519 encryption keys.',
      logger: init.logger,
      publicUrl: init.publicUrl,
      tags: TAGS,
      defaultMetrics: init.defaultMetrics,
      ...(init.cors ? { cors: init.cors } : {}),
      health: [
        { name: 'topology', check: () => topology?.current() !== undefined },
        { name: 'key-directory', check: () => keys.healthy() },
      ],
    })
  } catch (err) {
    await keys.close()
    throw err
  }
  const app = service.app
  const metrics = createClsMetrics(service.metrics.registry)
  const prober = createHealthProber({
    intervalMs: init.probeIntervalMs,
    timeoutMs: init.probeTimeoutMs,
    failuresBeforeDown: init.failuresBeforeDown,
    successesBeforeUp: init.successesBeforeUp,
    metrics,
    now,
    onChange: (node, h) => app.log.info({ node, status: h.status, error: h.lastError }, 'storage node health changed'),
  })
  const t = createTopology({
    chain: init.chain,
    refreshIntervalMs: init.refreshIntervalMs,
    followFinalized: init.followFinalized,
    bucketCacheMs: init.bucketCacheMs,
    metrics,
    now,
    onError: (err, during) => app.log.warn({ err, during }, 'topology refresh failed'),
  })
  topology = t
  t.onChange((s) => prober.sync([...s.nodes.values()]))
  app.addHook('onClose', async () => {
    t.close()
    prober.close()
    await keys.close()
  })

  try {
    try {
      await t.refresh()
      await prober.probeAll()
    } catch (err) {
      // Serve anyway (503 where topology is needed); the periodic refresh catches up with the chain.
      app.log.warn({ err }, 'the chain did not answer at start; retrying in the background')
    }
    prober.start()
    const seals = new SealVerifier()
    const ctx: RouteContext = {
      chain: init.chain,
      topology: t,
      prober,
      keys,
      metrics,
      delegation: { account: init.account, requests: new RequestVerifier({ now, verifier: seals }), seals, now },
      nodeTimeoutMs: init.nodeTimeoutMs ?? 10_000,
      ss58Prefix: () => {
        try {
          return t.current().info.ss58Prefix
        } catch {
          return SS58_GENERIC
        }
      },
    }
    for (const s of SCHEMAS) app.addSchema(s)
    lookupRoutes(app, ctx)
    topologyRoutes(app, ctx)
    traversalRoutes(app, ctx)
    keyRoutes(app, ctx)
    await app.ready()
  } catch (err) {
    await app.close()
    throw err
  }
  return { app, topology: t, prober, keys, close: () => app.close() }
}
