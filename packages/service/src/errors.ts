/**
 * The one place where error codes become HTTP statuses. Services throw typed DdcErrors; this maps
 * them (and Fastify's own validation/body errors) to `{code, message, details?}` with a stable code.
 */
import { DdcError } from '@ddc/core'
import type { FastifyError, FastifyInstance } from 'fastify'

const STATUS: Record<string, number> = {
  ERR_INVALID_INPUT: 400,
  ERR_NON_CANONICAL: 400,
  ERR_UNSUPPORTED_VERSION: 400,
  ERR_CID_MISMATCH: 400,
  ERR_INVALID_ADDRESS: 400,
  ERR_BAD_SIGNATURE: 400,
  ERR_BAD_PROOF: 400,
  ERR_BAD_LINK: 400,
  ERR_DECRYPTION: 400,
  ERR_MISSING_KEY: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_EXPIRED: 401,
  ERR_REPLAY: 401,
  ERR_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_GONE: 410,
  ERR_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_RATE_LIMITED: 429,
  ERR_UNAVAILABLE: 503,
}

export function statusOf(code: string): number {
  return STATUS[code] ?? 500
}

/** Registers a status for a code that a service adds (call at module load). */
export function registerStatus(code: string, status: number): void {
  STATUS[code] = status
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DdcError, req, reply) => {
    if (err instanceof DdcError) {
      const status = statusOf(err.code)
      if (status >= 500) req.log.error({ err }, 'request failed')
      return reply.status(status).send(err.toJSON())
    }
    const fe = err as FastifyError
    if (fe.validation) {
      return reply.status(400).send({ code: 'ERR_INVALID_INPUT', message: `invalid request: ${fe.message}` })
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .status(413)
        .send({ code: 'ERR_TOO_LARGE', message: 'request body is larger than this endpoint accepts' })
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({
        code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
        message: `content type ${req.headers['content-type'] ?? '(none)'} is not accepted here`,
      })
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ code: 'ERR_INVALID_INPUT', message: fe.message })
    }
    req.log.error({ err }, 'unexpected error')
    return reply.status(500).send({ code: 'ERR_INTERNAL', message: 'internal error; see the service log' })
  })
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ code: 'ERR_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` })
  })
}
