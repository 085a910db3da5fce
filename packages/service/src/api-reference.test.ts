import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type OpenApiDocument, renderApiReference, typeOf } from './api-reference.js'
import { createService } from './server.js'

describe('API reference from OpenAPI', () => {
  it('names schema types briefly', () => {
    assert.equal(typeOf({ $ref: '#/components/schemas/Event' }), 'Event')
    assert.equal(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Event' } }), 'Event[]')
    assert.equal(typeOf({ type: 'integer', minimum: 0 }), 'integer (≥ 0)')
    assert.equal(typeOf({ anyOf: [{ const: 'json' }, { const: 'cbor' }] }), '"json" | "cbor"')
    assert.equal(typeOf({ type: 'string', format: 'binary' }), 'string (binary)')
  })

  it("renders every route of a real service's document, grouped by tag, with parameters and statuses", async () => {
    const { app } = await createService({
      name: 'ddc-example',
      description: 'An example service.',
      logger: false,
      defaultMetrics: false,
      tags: [{ name: 'things', description: 'Things we keep' }],
    })
    app.get(
      '/things/:id',
      {
        schema: {
          tags: ['things'],
          summary: 'One thing',
          params: {
            type: 'object',
            properties: { id: { type: 'string', description: 'the id | name' } },
            required: ['id'],
          },
          querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } } },
          response: { 200: { type: 'object', properties: { id: { type: 'string' } } } },
        },
      },
      async (req) => ({ id: (req.params as { id: string }).id }),
    )
    await app.ready()
    const doc = (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument
    await app.close()
    const md = renderApiReference(doc, { intro: 'Intro line.' })
    assert.match(md, /^# ddc-example — API reference\n/)
    assert.match(md, /An example service\.\n\nIntro line\./)
    assert.match(md, /## things\n\nThings we keep/)
    assert.match(md, /### `GET \/things\/\{id\}`\n\nOne thing/)
    assert.ok(md.includes('| `id` | path | string | yes | the id \\| name |'), 'a pipe in a cell is escaped')
    assert.match(md, /\| `limit` \| query \| integer \(≥ 1\) \| no \|/)
    assert.match(md, /\| 200 \| object \(`application\/json`\) \|/)
    // The service kit's own routes are documented under their tags too.
    assert.match(md, /### `GET \/health`/)
    assert.equal(renderApiReference(doc, { intro: 'Intro line.' }), md, 'deterministic')
  })
})
