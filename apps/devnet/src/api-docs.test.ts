import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderApiDocs, staleApiDocs } from './api-docs.js'

describe('docs/api', () => {
  it("matches every service's OpenAPI document (npm run docs:api rewrites it)", async () => {
    const rendered = await renderApiDocs()
    assert.deepEqual(
      [...rendered.keys()].sort(),
      ['chain-node', 'cls', 'crypto-service', 'storage-node', 'viewer'],
      'one reference per service the devnet runs',
    )
    for (const [name, text] of rendered) {
      assert.match(text, /### `(GET|POST|PUT|DELETE) \//, `${name} lists routes`)
      assert.match(text, /### `GET \/health`/, `${name} documents /health`)
    }
    assert.deepEqual(staleApiDocs(rendered), [], 'out of date: run npm run docs:api')
  })
})
