/**
 * `createCryptoService(init)`: the Encryption API over HTTP — @ddc/crypto's standard module with the
 * keys configured here, behind bearer tokens, with the service kit's OpenAPI (/openapi.json), Swagger
 * UI (/docs), /health, /metrics and error mapping. Returns the Fastify app, ready to inject or listen.
 */
import { cryptoReady, type SigScheme, toAccountId, toHex } from '@ddc/core'
import { standardModule } from '@ddc/crypto'
import { createService, type Service, type ServiceInit } from '@ddc/service'
import type { FastifySchema } from 'fastify'
import { createServiceAccount } from './account.js'
import { installAuth } from './auth.js'
import type { BucketConfig, TokenConfig } from './config.js'
import { createKeystore } from './keystore.js'
import { accountRoutes } from './routes/account.js'
import type { RouteContext } from './routes/context.js'
import { decryptRoutes } from './routes/decrypt.js'
import { encryptRoutes } from './routes/encrypt.js'
import { keyRoutes } from './routes/keys.js'
import { SCHEMAS } from './schemas.js'

export interface CryptoServiceInit {
  /** Secret URI of the service account (signs grants; its X25519 key opens grants addressed to it). */
  accountUri: string
  accountScheme?: SigScheme
  /** SS58 prefix of the addresses the service writes (default 42). */
  ss58Prefix?: number
  /** Bucket name → key material, scope map and epochs. */
  buckets?: Record<string, BucketConfig>
  /** API tokens; with none, every protected route answers 401. */
  tokens?: readonly TokenConfig[]
  /** Events per /v1/encrypt/batch (default 100). */
  maxBatch?: number
  /** Largest request body in bytes (default 4 MiB). */
  bodyLimit?: number
  /** Latest grant expiry the service signs, ms from now (default 30 days). */
  maxGrantTtlMs?: number
  /** SS58 accounts whose grants /v1/keys/rewrap accepts (default: any validly signed grant). */
  trustedGrantors?: readonly string[]
  logger?: ServiceInit['logger']
  publicUrl?: string
  /** Process-level default metrics (off in tests that start many services). */
  defaultMetrics?: boolean
}

const TAGS = [
  { name: 'encryption', description: 'Seal events into envelope parts and a body block; open them again' },
  { name: 'keys', description: 'Signed grants that wrap scope keys for grantees' },
  { name: 'account', description: "The service's own account and X25519 key" },
  { name: 'ops', description: 'Health' },
]

/**
 * Routes name `security: [{ bearerAuth: [] }]`; the kit's OpenAPI options have no security schemes, so
 * each such route declares the scheme into the document as it is generated (a swagger transform).
 */
function declareBearerScheme(app: Service): void {
  type Doc = { components?: { securitySchemes?: Record<string, unknown> } }
  const swaggerTransform = (arg: { schema: FastifySchema; url: string; openapiObject?: Doc }) => {
    const doc = arg.openapiObject!
    doc.components = { ...doc.components }
    doc.components.securitySchemes = {
      ...doc.components.securitySchemes,
      bearerAuth: { type: 'http', scheme: 'bearer' },
    }
    return { schema: arg.schema, url: arg.url }
  }
  app.addHook('onRoute', (route) => {
    if ((route.schema as { security?: unknown } | undefined)?.security)
      route.config = { ...route.config, swaggerTransform } as typeof route.config
  })
}

export async function createCryptoService(init: CryptoServiceInit): Promise<Service> {
  await cryptoReady()
  const ss58Prefix = init.ss58Prefix ?? 42
  const keys = createKeystore(init.buckets ?? {})
  const account = await createServiceAccount({ uri: init.accountUri, scheme: init.accountScheme, ss58Prefix })
  const { app } = await createService({
    name: 'ddc-crypto-service',
    description:
      'The DDC Encryption API as a service: seal events into scoped ciphertext (envelope parts and a body block), ' +
      'open them with the keys this service holds, and hand scope keys to grantees as signed, expiring grants. ' +
      'Every /v1 route needs `Authorization: Bearer <token>`.',
    logger: init.logger,
    bodyLimit: init.bodyLimit ?? 4 * 1024 * 1024,
    publicUrl: init.publicUrl,
    tags: TAGS,
    defaultMetrics: init.defaultMetrics,
  })
  for (const s of SCHEMAS) app.addSchema(s)
  declareBearerScheme(app)
  const ctx: RouteContext = {
    keys,
    guard: installAuth(app, init.tokens ?? []),
    account,
    readers: [standardModule()],
    ss58Prefix,
    maxBatch: init.maxBatch ?? 100,
    maxGrantTtlMs: init.maxGrantTtlMs ?? 30 * 86_400_000,
    trustedGrantors: init.trustedGrantors && new Set(init.trustedGrantors.map((a) => toHex(toAccountId(a)))),
  }
  encryptRoutes(app, ctx)
  decryptRoutes(app, ctx)
  keyRoutes(app, ctx)
  accountRoutes(app, ctx)
  await app.ready()
  return app
}
