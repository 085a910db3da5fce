/**
 * `createService(init)`: a Fastify instance with what every DDC service owes — JSON-schema routes
 * (TypeBox) feeding an OpenAPI 3.1 document at /openapi.json, Swagger UI at /docs, /health, Prometheus
 * /metrics, typed error mapping and structured logs that never carry credentials.
 */

import type { IncomingMessage, ServerResponse } from 'node:http'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import { type CorsOrigins, installCors } from './cors.js'
import { installErrorHandler } from './errors.js'
import { installMetrics, type ServiceMetrics } from './metrics.js'
import { ErrorBody } from './schemas.js'

export type Service = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

export interface HealthCheck {
  name: string
  check: () => Promise<boolean> | boolean
}

export interface ServiceInit {
  /** Service name, e.g. `ddc-storage-node`. */
  name: string
  version?: string
  description: string
  /** `false` silences logs (tests); `true` or a level logs JSON to stdout. */
  logger?: boolean | 'fatal' | 'error' | 'warn' | 'info' | 'debug'
  /** Largest accepted request body in bytes (default 16 MiB). */
  bodyLimit?: number
  /** OpenAPI tags with descriptions, in display order. */
  tags?: { name: string; description: string }[]
  /** Public base URL written into the OpenAPI `servers` list. */
  publicUrl?: string
  /** Extra readiness checks reported by /health. */
  health?: HealthCheck[]
  /** Collect process-level default metrics (off in tests that build many services). */
  defaultMetrics?: boolean
  /** Let browser pages call this service: `true` for any origin, or a list of origins (default: none). */
  cors?: CorsOrigins | false
}

export interface ServiceHandle {
  app: Service
  metrics: ServiceMetrics
}

const REDACT = [
  'req.headers.authorization',
  'req.headers["x-ddc-signature"]',
  'req.headers["x-ddc-capability"]',
  'req.headers.cookie',
]

export async function createService(init: ServiceInit): Promise<ServiceHandle> {
  const level =
    init.logger === true ? 'info' : init.logger === false || init.logger === undefined ? undefined : init.logger
  const app = Fastify({
    logger: level ? { level, redact: { paths: REDACT, censor: '[redacted]' } } : false,
    bodyLimit: init.bodyLimit ?? 16 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Service

  app.addSchema(ErrorBody)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: init.name,
        description: init.description,
        version: init.version ?? '0.1.0',
        license: { name: 'MIT' },
      },
      servers: init.publicUrl ? [{ url: init.publicUrl }] : [],
      tags: init.tags ?? [],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  installErrorHandler(app)
  if (init.cors) installCors(app, init.cors)
  const metrics = installMetrics(app, init.name, init.defaultMetrics ?? true)

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  const checks = init.health ?? []
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness and readiness',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            service: Type.String(),
            checks: Type.Record(Type.String(), Type.Boolean()),
          }),
          503: Type.Object({
            status: Type.Literal('degraded'),
            service: Type.String(),
            checks: Type.Record(Type.String(), Type.Boolean()),
          }),
        },
      },
    },
    async (_req, reply) => {
      const results: Record<string, boolean> = {}
      for (const c of checks) {
        try {
          results[c.name] = await c.check()
        } catch {
          results[c.name] = false
        }
      }
      const ok = Object.values(results).every(Boolean)
      return reply
        .status(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'degraded', service: init.name, checks: results } as never)
    },
  )
  return { app, metrics }
}
