/** What every route of a storage node works with (built once in node.ts). */
import type { FastifyRequest } from 'fastify'
import type { AccessContext } from './access.js'
import type { IngestContext } from './ingest.js'
import type { Replication } from './replication/index.js'
import type { TimelineStore } from './store/types.js'

export interface NodeContext extends IngestContext, AccessContext {
  store: TimelineStore
  /** Set when the node replicates: appends go through the cluster's write path. */
  replication?: Pick<Replication, 'append'>
}

const bodies = new WeakMap<FastifyRequest, Uint8Array>()

/**
 * Binary bodies (DAG-CBOR, CAR) are kept here rather than in `req.body`, which holds an empty string
 * for them: the route schemas declare them `type: string, format: binary` for OpenAPI, and the
 * validator would refuse a Buffer there.
 */
export function stashBody(req: FastifyRequest, body: Uint8Array): void {
  bodies.set(req, body)
}

export function rawBody(req: FastifyRequest): Uint8Array | undefined {
  return bodies.get(req)
}
