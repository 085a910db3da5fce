/**
 * Transactions: submit signed bytes (refused at once with a typed error, or accepted into the next
 * block), and look one up — optionally waiting (long poll) until it is in a block or finalized.
 */
import { fromHex, NotFoundError } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { RouteContext } from './context.js'

const Wait = Type.Union([Type.Literal('none'), Type.Literal('inBlock'), Type.Literal('finalized')], { default: 'none' })

export function txRoutes(app: Service, { chain, q }: RouteContext): void {
  app.post(
    '/tx',
    {
      schema: {
        tags: ['transactions'],
        summary: 'Submit a signed transaction',
        description:
          'Body: the DAG-CBOR signed transaction ({payload, sig}) as 0x-hex. Refusals (bad signature, nonce, ' +
          'balance, owner, unknown bucket or call, expired era) answer a typed error and change nothing.',
        body: Type.Object({ tx: Type.String({ pattern: '^0x([0-9a-fA-F]{2})+$', maxLength: 131074 }) }),
        querystring: Type.Object({ wait: Wait }),
        response: { 200: Type.Ref('Tx'), ...errorResponses(400, 402, 403, 404, 409, 413, 503) },
      },
    },
    async (req) => {
      const accepted = chain.submit(fromHex(req.body.tx))
      const state =
        req.query.wait === 'none'
          ? { status: 'pending' as const, accepted }
          : await chain.waitForTx(accepted.tx.hash, req.query.wait, AbortSignal.timeout(60_000))
      return q.tx(state ?? { status: 'pending', accepted })
    },
  )
  app.get(
    '/tx/:hash',
    {
      schema: {
        tags: ['transactions', 'explorer'],
        summary: 'A transaction by hash, with its block and events',
        params: Type.Object({ hash: Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' }) }),
        querystring: Type.Object({
          wait: Wait,
          timeoutMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 20_000 }),
        }),
        response: { 200: Type.Ref('Tx'), ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const hash = req.params.hash.toLowerCase()
      const state =
        req.query.wait === 'none'
          ? await chain.tx(hash)
          : await chain.waitForTx(hash, req.query.wait, AbortSignal.timeout(req.query.timeoutMs))
      if (!state) throw new NotFoundError(`transaction ${hash} is not known to this chain`)
      return q.tx(state)
    },
  )
}
