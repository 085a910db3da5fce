import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConflictError } from '@ddc/core'
import { Type } from '@sinclair/typebox'
import { createService, errorResponses, requestJson } from './index.js'

async function demo() {
  const { app } = await createService({
    name: 'demo',
    description: 'test service',
    logger: false,
    bodyLimit: 1024,
    defaultMetrics: false,
  })
  app.post(
    '/things',
    {
      schema: {
        body: Type.Object({ n: Type.Integer({ minimum: 0 }) }),
        response: { 200: Type.Object({ n: Type.Integer() }), ...errorResponses(400, 409) },
      },
    },
    async (req) => {
      if (req.body.n === 7) throw new ConflictError('seven is taken', { details: { head: 6 } })
      return { n: req.body.n + 1 }
    },
  )
  await app.ready()
  return app
}

describe('service kit', () => {
  it('serves an OpenAPI 3.1 document that lists the routes and the shared Error schema', async () => {
    const app = await demo()
    const res = await app.inject('/openapi.json')
    const doc = res.json()
    assert.equal(doc.openapi, '3.1.0')
    assert.ok(doc.paths['/things'].post)
    assert.ok(doc.components.schemas.Error)
    const ui = await app.inject('/docs/')
    assert.equal(ui.statusCode, 200)
    assert.match(ui.body, /swagger/i)
  })

  it('maps typed errors to their status and stable code', async () => {
    const app = await demo()
    const res = await app.inject({ method: 'POST', url: '/things', payload: { n: 7 } })
    assert.equal(res.statusCode, 409)
    assert.deepEqual(res.json(), { code: 'ERR_CONFLICT', message: 'seven is taken', details: { head: 6 } })
  })

  it('answers schema violations, oversize bodies and unknown routes with 4xx codes', async () => {
    const app = await demo()
    const bad = await app.inject({ method: 'POST', url: '/things', payload: { n: -1 } })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().code, 'ERR_INVALID_INPUT')
    const big = await app.inject({ method: 'POST', url: '/things', payload: { n: 1, pad: 'x'.repeat(4000) } })
    assert.equal(big.statusCode, 413)
    assert.equal(big.json().code, 'ERR_TOO_LARGE')
    const none = await app.inject('/nope')
    assert.equal(none.statusCode, 404)
    assert.equal(none.json().code, 'ERR_NOT_FOUND')
  })

  it('exposes health and Prometheus metrics', async () => {
    const app = await demo()
    await app.inject('/health')
    const health = await app.inject('/health')
    assert.equal(health.json().status, 'ok')
    const metrics = await app.inject('/metrics')
    assert.match(metrics.body, /http_requests_total\{.*route="\/health".*\} 2/)
  })

  it('revives server errors into typed errors on the client side over a real socket', async () => {
    const app = await demo()
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    try {
      await assert.rejects(
        requestJson(`${url}/things`, { body: { n: 7 } }),
        (err: Error) => err instanceof ConflictError && (err as ConflictError).details?.head === 6,
      )
      assert.deepEqual(await requestJson(`${url}/things`, { body: { n: 1 } }), { n: 2 })
    } finally {
      await app.close()
    }
  })
})
