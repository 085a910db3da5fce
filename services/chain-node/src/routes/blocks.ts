/** Block explorer reads: the latest blocks, one block by number or hash. */
import { NotFoundError } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { StoredBlock } from '../ledger/block.js'
import type { RouteContext } from './context.js'

export function blockRoutes(app: Service, { chain, q }: RouteContext): void {
  app.get(
    '/blocks',
    {
      schema: {
        tags: ['explorer'],
        summary: 'The latest blocks, newest first',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
        response: { 200: Type.Array(Type.Ref('Block')) },
      },
    },
    async (req) => {
      const top = chain.best().header.number
      const out: StoredBlock[] = []
      for (let n = top; n >= 0 && out.length < req.query.limit; n--) out.push((await chain.block(n))!)
      return out.map(q.block)
    },
  )
  app.get(
    '/blocks/:id',
    {
      schema: {
        tags: ['explorer'],
        summary: 'A block by number or 0x-hex hash, with its transactions and events',
        params: Type.Object({ id: Type.String({ pattern: '^([0-9]{1,15}|0x[0-9a-fA-F]{64})$' }) }),
        response: { 200: Type.Ref('Block'), ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const b = await chain.block(req.params.id)
      if (!b) throw new NotFoundError(`block ${req.params.id} is not on this chain (yet)`)
      return q.block(b)
    },
  )
}
