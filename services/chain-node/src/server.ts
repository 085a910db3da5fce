/**
 * `createChainNode(init)`: the dev chain behind its HTTP API — OpenAPI at /openapi.json, Swagger UI at
 * /docs, /health, /metrics, the routes under ./routes and the `/ws` block stream. Closing the node's
 * app stops block production and closes the database.
 */

import { CHAIN_ERROR_STATUS } from '@ddc/chain'
import { createService, registerStatus, type Service, type ServiceInit } from '@ddc/service'
import websocket from '@fastify/websocket'
import { createDevChain, type DevChain, type DevChainInit } from './dev-chain.js'
import { createQueries } from './queries.js'
import { blockRoutes } from './routes/blocks.js'
import { chainRoutes } from './routes/chain.js'
import { recordRoutes } from './routes/records.js'
import { stateRoutes } from './routes/state.js'
import { txRoutes } from './routes/tx.js'
import { wsRoutes } from './routes/ws.js'
import { SCHEMAS } from './schemas.js'

for (const [code, status] of Object.entries(CHAIN_ERROR_STATUS)) registerStatus(code, status)

export interface ChainNodeInit extends DevChainInit {
  logger?: ServiceInit['logger']
  publicUrl?: string
  /** Process-level default metrics (off in tests that start many services). */
  defaultMetrics?: boolean
}

export interface ChainNode {
  app: Service
  chain: DevChain
  /** Stops serving, stops block production, closes the database. */
  close(): Promise<void>
}

const TAGS = [
  { name: 'chain', description: 'Chain information and head' },
  { name: 'transactions', description: 'Submit signed transactions; look them up' },
  { name: 'state', description: 'Accounts, buckets, clusters and storage nodes' },
  { name: 'anchors', description: 'Merkle roots of timeline heads (time capsules)' },
  { name: 'remarks', description: 'Events that also go on chain, with optional transfer' },
  { name: 'payouts', description: 'Usage reports and payouts of data-operation fees' },
  { name: 'explorer', description: 'Blocks, transactions, events, accounts' },
  { name: 'subscriptions', description: 'WebSocket block stream' },
]

export async function createChainNode(init: ChainNodeInit): Promise<ChainNode> {
  const chain = await createDevChain(init)
  let app: Service
  try {
    ;({ app } = await createService({
      name: 'ddc-chain-node',
      description:
        'The DDC dev chain: a single-authority ledger with signed transactions, nonces, fees, blocks and ' +
        'finality, persisted to disk; accounts, buckets, clusters, nodes, anchors, remarks, usage and payouts.',
      logger: init.logger,
      publicUrl: init.publicUrl,
      tags: TAGS,
      defaultMetrics: init.defaultMetrics,
      health: [{ name: 'block-production', check: () => chain.healthy() }],
    }))
    for (const s of SCHEMAS) app.addSchema(s)
    await app.register(websocket)
    const ctx = { chain, q: createQueries(chain) }
    chainRoutes(app, ctx)
    txRoutes(app, ctx)
    stateRoutes(app, ctx)
    recordRoutes(app, ctx)
    blockRoutes(app, ctx)
    wsRoutes(app, ctx)
    app.addHook('onClose', async () => chain.close())
    await app.ready()
  } catch (err) {
    await chain.close()
    throw err
  }
  return { app, chain, close: () => app.close() }
}
