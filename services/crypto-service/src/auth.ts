/**
 * Bearer-token access. Every route but /health, /docs and /openapi.json needs
 * `Authorization: Bearer <token>`; a token names who holds it and may be narrowed to some buckets and
 * some operations (capabilities as data, checked by one function). Tokens are compared as SHA-256
 * digests with `timingSafeEqual`, against every configured token without an early exit, so neither
 * the length nor the content of a guess shows in the response time.
 */
// The default import keeps `crypto.timingSafeEqual` a property lookup, so a test can observe the call.
import crypto from 'node:crypto'
import { InvalidInputError, UnauthorizedError } from '@ddc/core'
import type { Service } from '@ddc/service'
import type { FastifyRequest } from 'fastify'
import type { Operation, TokenConfig } from './config.js'
import { ForbiddenError } from './errors.js'

export interface Caller {
  /** The token's name from configuration (safe to log). */
  name: string
  /** Buckets it may use; undefined: all. */
  buckets: ReadonlySet<string> | undefined
  /** Operations it may perform; undefined: all. */
  ops: ReadonlySet<Operation> | undefined
}

const isPublic = (route: string): boolean =>
  route === '/health' || route === '/openapi.json' || route === '/docs' || route.startsWith('/docs/')
const BEARER = /^Bearer +([^\s]+) *$/i

export const tokenDigest = (token: string): Buffer => crypto.createHash('sha256').update(token, 'utf8').digest()

/**
 * Constant-time equality of two secrets of any length: both are hashed to 32-byte SHA-256 digests, and
 * the digests are compared with `timingSafeEqual` (which needs equal lengths and does not exit early).
 */
export function secretsEqual(a: string, b: string): boolean {
  return crypto.timingSafeEqual(tokenDigest(a), tokenDigest(b))
}

interface Entry {
  digest: Buffer
  caller: Caller
}

function entry(t: TokenConfig, i: number): Entry {
  if ((t.token === undefined) === (t.sha256 === undefined))
    throw new InvalidInputError(`tokens[${i}] (${t.name}) needs exactly one of token or sha256`)
  if (t.token !== undefined && t.token.length < 16)
    throw new InvalidInputError(`tokens[${i}] (${t.name}) is too short: use at least 16 random characters`)
  if (t.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(t.sha256))
    throw new InvalidInputError(`tokens[${i}] (${t.name}).sha256 must be 64 lower-case hex digits`)
  return {
    digest: t.token === undefined ? Buffer.from(t.sha256!, 'hex') : tokenDigest(t.token),
    caller: { name: t.name, buckets: t.buckets && new Set(t.buckets), ops: t.ops && new Set(t.ops) },
  }
}

export interface Guard {
  /** The caller a request authenticated as (only on routes that are not public). */
  caller(req: FastifyRequest): Caller
  /** The caller, if it may perform `op` on `bucket`; else ForbiddenError (ERR_FORBIDDEN, 403). */
  require(req: FastifyRequest, op: Operation, bucket: string): Caller
}

/** Finds the configured token matching `header` (`Bearer <token>`), comparing against all of them. */
function authenticate(entries: readonly Entry[], header: string | undefined): Caller {
  if (header === undefined)
    throw new UnauthorizedError('this route needs an API token: send the header Authorization: Bearer <token>')
  const token = BEARER.exec(header)?.[1]
  if (token === undefined) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"')
  const presented = tokenDigest(token)
  let found: Caller | undefined
  for (const e of entries) if (crypto.timingSafeEqual(e.digest, presented) && !found) found = e.caller
  if (!found) throw new UnauthorizedError('the API token is not valid on this service')
  return found
}

/** Checks a caller's capability; the message names what the token lacks, never the token. */
export function authorize(caller: Caller, op: Operation, bucket: string): void {
  if (caller.ops && !caller.ops.has(op))
    throw new ForbiddenError(`token '${caller.name}' may not ${op}`, { details: { op } })
  if (caller.buckets && !caller.buckets.has(bucket))
    throw new ForbiddenError(`token '${caller.name}' may not use bucket ${JSON.stringify(bucket)}`, {
      details: { bucket },
    })
}

/** Authenticates every non-public request before routing work starts (401 ERR_UNAUTHORIZED). */
export function installAuth(app: Service, tokens: readonly TokenConfig[]): Guard {
  const entries = tokens.map(entry)
  const callers = new WeakMap<FastifyRequest, Caller>()
  app.addHook('onRequest', async (req, reply) => {
    // The route pattern, not the URL: an unknown path has none and needs a token like any other.
    if (req.routeOptions.url !== undefined && isPublic(req.routeOptions.url)) return
    try {
      const caller = authenticate(entries, req.headers.authorization)
      callers.set(req, caller)
      req.log.debug({ caller: caller.name }, 'authenticated')
    } catch (err) {
      reply.header('www-authenticate', 'Bearer')
      throw err
    }
  })
  const caller = (req: FastifyRequest): Caller => {
    const c = callers.get(req)
    if (!c) throw new UnauthorizedError('request is not authenticated')
    return c
  }
  return {
    caller,
    require(req, op, bucket) {
      const c = caller(req)
      authorize(c, op, bucket)
      return c
    },
  }
}
