import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NETWORKS, resolveNetwork } from './presets.js'

describe('network presets', () => {
  it("names Cere's networks with prefix 54 and a custom endpoint with its own prefix", () => {
    for (const name of ['cere-mainnet', 'cere-testnet', 'cere-devnet'] as const) {
      assert.equal(NETWORKS[name].ss58Prefix, 54)
      assert.match(NETWORKS[name].endpoints[0]!, /^wss:\/\/archive\.(mainnet|testnet|devnet)\.cere\.network\/ws$/)
    }
    assert.deepEqual(resolveNetwork('local').endpoints, ['ws://127.0.0.1:9944'])
    assert.deepEqual(resolveNetwork({ endpoint: 'wss://rpc.example.org', ss58Prefix: 0 }), {
      name: 'wss://rpc.example.org',
      endpoints: ['wss://rpc.example.org'],
      ss58Prefix: 0,
    })
    assert.throws(() => resolveNetwork({ endpoint: 'http://not-ws' }), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => resolveNetwork('kusama' as never), { code: 'ERR_INVALID_INPUT' })
  })
})
