/**
 * CORS for services that browsers call directly (the SDK in a web page talks to storage nodes). Auth is
 * by signed requests, never cookies, so no credentials are allowed and `*` is safe; a list of origins
 * narrows it. Preflights are answered here, before routing.
 */
import type { Service } from './server.js'

export type CorsOrigins = true | readonly string[]

export function installCors(app: Service, origins: CorsOrigins): void {
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin
    if (!origin || (origins !== true && !origins.includes(origin))) return
    reply.header('access-control-allow-origin', origins === true ? '*' : origin)
    if (origins !== true) reply.header('vary', 'origin')
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return
    reply.header('access-control-allow-methods', 'GET, HEAD, POST, PUT, DELETE')
    const asked = req.headers['access-control-request-headers']
    if (asked) reply.header('access-control-allow-headers', asked)
    reply.header('access-control-max-age', '600')
    return reply.code(204).send()
  })
}
