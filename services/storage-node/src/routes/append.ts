/** POST /events — append one event or a batch, for one or many timelines, atomically. */
import { decodeCapabilityChain } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { type NodeContext, rawBody } from '../context.js'
import { type AppendOutcome, ingest } from '../ingest.js'
import { Binary, CAR, CBOR } from '../schemas.js'
import {
  type AppendRequest,
  cborRequest,
  type JsonAppend,
  parseCarRequest,
  parseJsonRequest,
  UnsupportedMediaTypeError,
} from '../wire.js'

export function appendRoutes(app: Service, ctx: NodeContext): void {
  app.post(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Append events',
        description:
          'Appends one event or a batch, to one or several timelines, as one atomic unit: every event is verified ' +
          '(canonical envelope, CID, body block, seal, capability, link) and all are stored durably (fsync) before ' +
          'the answer, or none is. Per timeline the events must be consecutive and extend its head ' +
          '(compare-and-set: a stale `prev` answers 409 ERR_CONFLICT with `details.head`). Events already stored ' +
          'are counted as `duplicates`, so a retried request is harmless. Bodies: `application/json` (canonical ' +
          'envelope bytes in base64 + seal JSON), `application/vnd.ipld.dag-cbor` (a list of {env, seal, body}, or ' +
          '{events, caps}) or `application/vnd.ipld.car` (root: {events: [{env, body, seal}], caps}). Delegates ' +
          'send their capability chains in the body or in `x-ddc-capability`.',
        body: {
          content: {
            'application/json': { schema: Type.Ref('AppendJson') },
            [CBOR]: { schema: Binary('DAG-CBOR list of {env: bytes, seal, body?: bytes}, or {events, caps}') },
            [CAR]: { schema: Binary('CAR v1; root {events: [{env: CID, body?: CID, seal}], caps?}') },
          },
        } as never,
        response: { 200: Type.Ref('AppendResult'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 503) },
      },
    },
    async (req) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim()
      const limits = { maxEvents: ctx.maxEvents }
      let wire: AppendRequest
      if (type === 'application/json') wire = parseJsonRequest(req.body as unknown as JsonAppend, limits)
      else if (type === CBOR) wire = cborRequest(rawBody(req) ?? new Uint8Array(0))
      else if (type === CAR) wire = await parseCarRequest(rawBody(req) ?? new Uint8Array(0), limits)
      else
        throw new UnsupportedMediaTypeError(
          `content type ${type || '(none)'} is not accepted; send application/json, ${CBOR} or ${CAR}`,
        )
      const header = req.headers['x-ddc-capability']
      if (typeof header === 'string') wire.chains.push(decodeCapabilityChain(header))
      const outcome = (
        ctx.replication ? await ctx.replication.append(wire, req) : await ingest(ctx, wire)
      ) as AppendOutcome
      for (const b of new Set(outcome.heads.map((h) => h.bucket))) ctx.store.recordUsage(b, { requests: 1 })
      return outcome
    },
  )
}
