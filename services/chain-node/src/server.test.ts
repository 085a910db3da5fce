import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { WireBlockMessage, WireTx } from '@ddc/chain/dev'
import { toHex } from '@ddc/core'
import WebSocket from 'ws'
import { devSigners, signFor, tempDir } from './_test-chain.js'
import { type ChainNode, createChainNode } from './server.js'

describe('chain node HTTP API', () => {
  let node: ChainNode
  let tmp: ReturnType<typeof tempDir>
  before(async () => {
    tmp = tempDir()
    node = await createChainNode({ dataDir: tmp.dir, blockIntervalMs: 0, logger: false, defaultMetrics: false })
  })
  after(async () => {
    await node.close()
    tmp.remove()
  })

  it('documents every route in OpenAPI 3.1 and serves Swagger UI and health', async () => {
    const doc = (await node.app.inject('/openapi.json')).json()
    assert.equal(doc.openapi, '3.1.0')
    for (const path of [
      '/chain',
      '/tx',
      '/tx/{hash}',
      '/accounts/{address}',
      '/buckets/{id}',
      '/anchors/{root}',
      '/remarks/{cid}',
      '/payouts/{cluster}/{period}',
      '/blocks/{id}',
      '/ws',
    ]) {
      assert.ok(doc.paths[path], `${path} is documented`)
    }
    assert.ok(doc.components.schemas.Anchor && doc.components.schemas.Error)
    assert.equal((await node.app.inject('/docs/')).statusCode, 200)
    assert.equal((await node.app.inject('/health')).json().status, 'ok')
    const plain = await node.app.inject('/ws')
    assert.equal(plain.statusCode, 426)
    assert.equal(plain.json().code, 'ERR_UPGRADE_REQUIRED')
  })

  it('accepts a signed transaction, answers it pending, then finalized with its block and events', async () => {
    const { alice, bob } = await devSigners()
    const tx = await signFor(node.chain, alice, { call: 'balances.transfer', args: { to: bob.accountId, amount: 9n } })
    const res = await node.app.inject({ method: 'POST', url: '/tx', payload: { tx: toHex(tx.bytes) } })
    assert.equal(res.statusCode, 200)
    assert.equal((res.json() as WireTx).status, 'pending')
    const block = await node.chain.produceBlock()
    const got = (await node.app.inject(`/tx/${tx.hash}`)).json() as WireTx
    assert.equal(got.status, 'finalized')
    assert.deepEqual(got.block, { number: block.header.number, hash: toHex(block.hash) })
    assert.equal(got.call, 'balances.transfer')
    assert.ok(got.events.some((e) => e.name === 'balances.Transfer'))
    const explorer = (await node.app.inject('/blocks?limit=2')).json()
    assert.equal(explorer[0].number, block.header.number)
    assert.deepEqual(explorer[0].txHashes, [tx.hash])
    assert.equal((await node.app.inject(`/blocks/${toHex(block.hash)}`)).json().number, block.header.number)
  })

  it('maps refusals to statuses with stable codes', async () => {
    const { alice, bob } = await devSigners()
    const replay = await signFor(
      node.chain,
      alice,
      { call: 'balances.transfer', args: { to: bob.accountId, amount: 1n } },
      { nonce: 0 },
    )
    const nonce = await node.app.inject({ method: 'POST', url: '/tx', payload: { tx: toHex(replay.bytes) } })
    assert.equal(nonce.statusCode, 409)
    assert.equal(nonce.json().code, 'ERR_BAD_NONCE')
    const owner = await signFor(node.chain, bob, { call: 'buckets.update', args: { bucket: '1', isPublic: true } })
    const forbidden = await node.app.inject({ method: 'POST', url: '/tx', payload: { tx: toHex(owner.bytes) } })
    assert.equal(forbidden.statusCode, 403)
    assert.equal(forbidden.json().code, 'ERR_NOT_OWNER')
    const garbage = await node.app.inject({ method: 'POST', url: '/tx', payload: { tx: '0x00ff' } })
    assert.equal(garbage.statusCode, 400)
    assert.equal((await node.app.inject('/buckets/nope')).json().code, 'ERR_NOT_FOUND')
    assert.equal((await node.app.inject('/anchors/not-a-cid')).statusCode, 400)
  })

  it('streams blocks with their events over WebSocket, catching up from a given block', async () => {
    const url = await node.app.listen({ host: '127.0.0.1', port: 0 })
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?stream=best&from=0`)
    const got: WireBlockMessage[] = []
    const done = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        got.push(JSON.parse(String(data)))
        if (got.length === 4) resolve()
      })
      ws.on('error', reject)
    })
    await new Promise((r) => ws.once('open', r))
    const best = node.chain.best().header.number
    for (let n = best; n < 3; n++) await node.chain.produceBlock()
    await done
    ws.close()
    assert.deepEqual(
      got.map((m) => m.block.number),
      [0, 1, 2, 3],
    )
    assert.ok(got.every((m) => m.type === 'block' && m.finalized))
    assert.equal(got[1]!.block.parentHash, got[0]!.block.hash)
  })
})
