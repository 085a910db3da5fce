/**
 * `/ws?stream=finalized|best&from=N`: blocks with their events as they are produced (catching up from
 * `from` first). One JSON message `{type: 'block', finalized, block}` per block; a client that falls
 * too far behind is disconnected and resumes with `from`.
 */
import type { Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { RouteContext } from './context.js'

const MAX_BUFFERED = 8 * 1024 * 1024

export function wsRoutes(app: Service, { chain, q }: RouteContext): void {
  // A `wsHandler` route (rather than `websocket: true`) keeps the stream in the OpenAPI document and
  // answers plain HTTP GETs with a hint instead of a bare 404.
  app.route({
    method: 'GET',
    url: '/ws',
    schema: {
      tags: ['subscriptions'],
      summary: 'WebSocket stream of new (best) or finalized blocks and their events',
      description: 'Upgrade to WebSocket. Messages: {type: "block", finalized, block} (see Block), in order.',
      querystring: Type.Object({
        stream: Type.Union([Type.Literal('best'), Type.Literal('finalized')], { default: 'finalized' }),
        from: Type.Optional(Type.Integer({ minimum: 0, description: 'first block to send (catch-up)' })),
      }),
      response: { 426: Type.Ref('Error') },
    },
    handler: async (_req, reply) =>
      reply.status(426).send({ code: 'ERR_UPGRADE_REQUIRED', message: 'connect with a WebSocket client' }),
    wsHandler: (socket, req) => {
      const ac = new AbortController()
      socket.on('close', () => ac.abort())
      const { stream, from } = req.query as { stream: 'best' | 'finalized'; from?: number }
      void (async () => {
        for await (const m of chain.blocks({ stream, from, signal: ac.signal })) {
          if (socket.readyState !== socket.OPEN) break
          if (socket.bufferedAmount > MAX_BUFFERED) {
            socket.close(1013, 'client too slow; reconnect with from=<next block>')
            break
          }
          socket.send(JSON.stringify({ type: 'block', finalized: m.finalized, block: q.block(m.block) }))
        }
      })().catch((err) => {
        req.log.warn({ err }, 'block stream failed')
        socket.close(1011, 'block stream failed')
      })
    },
  })
}
