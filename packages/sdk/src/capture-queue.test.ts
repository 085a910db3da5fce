import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAccount } from '@ddc/core'
import { PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { counting } from './_testkit.js'
import { createClient } from './index.js'

describe('capture queue', () => {
  let net: TestNet
  before(async () => {
    net = await startTestNet()
  })
  after(async () => {
    await net.close()
  })

  it('batches events captured in quick succession (one signature per batch)', async () => {
    const c = counting(createAccount({ uri: '//SdkCapture' }))
    const client = createClient({ signer: c.signer, cls: net.cls, capture: { maxBatch: 10, maxDelayMs: 20 } })
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, k) => client.capture(PUBLIC_BUCKET, { type: 'tap', data: { k } })),
    )
    assert.deepEqual(
      results.map((r) => r?.seq),
      Array.from({ length: 25 }, (_, k) => k),
    )
    assert.equal(client.queue.batches, 3)
    assert.equal(c.calls, 3)
    await client.close()
  })

  it('applies back-pressure: never more than maxQueued waiting or in flight', async () => {
    let max = 0
    const client = createClient({
      signer: createAccount({ uri: '//SdkPressure' }),
      cls: net.cls,
      capture: { maxBatch: 3, maxDelayMs: 5, maxQueued: 5 },
      hooks: {
        beforeSign: () => {
          max = Math.max(max, client.queue.size)
        },
      },
    })
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, k) => client.capture(PUBLIC_BUCKET, { type: 't', data: { k } })),
    )
    assert.equal(all.length, 20)
    assert.ok(max <= 5, `at most 5 queued, saw ${max}`)
  })

  it('a failed flush rejects each capture with the reason; the failed events can be retried', async () => {
    let fail = true
    const client = createClient({
      signer: createAccount({ uri: '//SdkFlushError' }),
      cls: net.cls,
      capture: { maxBatch: 100, maxDelayMs: 10 },
      hooks: {
        beforeSign: () => {
          if (fail) throw new Error('wallet closed')
        },
      },
    })
    const settled = await Promise.allSettled(
      [1, 2, 3].map((k) => client.capture(PUBLIC_BUCKET, { type: 't', data: { k } })),
    )
    assert.deepEqual(
      settled.map((s) => s.status),
      ['rejected', 'rejected', 'rejected'],
    )
    assert.match(String((settled[0] as PromiseRejectedResult).reason), /wallet closed/)
    assert.equal(client.queue.failed.length, 3)
    fail = false
    const again = await client.queue.retryFailed()
    assert.deepEqual(
      again.map((s) => (s.status === 'fulfilled' ? s.value?.seq : s.reason)),
      [0, 1, 2],
    )
    // A refusal by the node (unknown bucket) reaches every capture of the batch, with the node named.
    const refused = await Promise.allSettled([client.capture('no-such-bucket', { type: 't', data: {} })])
    const reason = (refused[0] as PromiseRejectedResult).reason as { code: string; details: { node: string } }
    assert.equal(reason.code, 'ERR_NOT_FOUND')
    assert.match(reason.details.node, /^http:\/\/127\.0\.0\.1:\d+$/)
  })
})
