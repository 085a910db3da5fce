/**
 * Failover. Storage nodes do not replicate to each other yet, so what this covers is the client side:
 * when the first replica of a timeline is down, writes and reads go to the next replica (placement
 * both computed locally from explicit node URLs and taken from the CLS). Catch-up of the first replica
 * when it comes back is the nodes' job and is not covered here.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAccount } from '@ddc/core'
import { PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { all } from './_testkit.js'
import { createClient, Locator } from './index.js'

describe('failover to the next replica', () => {
  let net: TestNet
  before(async () => {
    net = await startTestNet()
  })
  after(async () => {
    await net.close()
  })

  for (const mode of ['explicit nodes', 'cls', 'cls topology'] as const) {
    it(`writes and reads through the next replica when the first is down (${mode})`, async () => {
      const signer = createAccount({ uri: `//SdkFailover/${mode}` })
      const place =
        mode === 'explicit nodes'
          ? { nodes: net.nodes.map((n) => n.url) }
          : { cls: net.cls, ...(mode === 'cls topology' ? { placement: 'topology' as const } : {}) }
      const [first] = await new Locator(place).replicas(PUBLIC_BUCKET, signer.accountId)
      const down = net.nodes.find((n) => n.url === first!.url)!
      await down.stop()
      try {
        const client = createClient({ signer, ...place, backoffMs: 10, timeoutMs: 2000 })
        const out = await client.appendMany(PUBLIC_BUCKET, [
          { type: 'tap', data: { k: 1 } },
          { type: 'tap', data: { k: 2 } },
        ])
        await client.append(PUBLIC_BUCKET, { type: 'tap', data: { k: 3 } })
        assert.deepEqual(
          out.map((e) => e.seq),
          [0, 1],
        )
        const read = await all(client.events(PUBLIC_BUCKET))
        assert.deepEqual(
          read.map((e) => e.data.k),
          [1, 2, 3],
        )
        assert.equal((await client.head(PUBLIC_BUCKET))?.length, 3)
        assert.equal((await client.verifyTimeline(PUBLIC_BUCKET)).ok, true)
      } finally {
        await down.start()
      }
    })
  }

  it('placement from the cached CLS topology matches /v1/locate, with no request per timeline', async () => {
    const asked: string[] = []
    const counting: typeof fetch = (url, init) => {
      asked.push(new URL(String(url)).pathname)
      return fetch(url, init)
    }
    const cached = new Locator({ cls: net.cls, placement: 'topology', fetch: counting })
    const perTimeline = new Locator({ cls: net.cls })
    for (let k = 0; k < 12; k++) {
      const owner = createAccount({ uri: `//SdkPlacement/${k}` }).accountId
      assert.deepEqual(await cached.replicas(PUBLIC_BUCKET, owner), await perTimeline.replicas(PUBLIC_BUCKET, owner))
    }
    assert.deepEqual(asked, ['/v1/topology', `/v1/buckets/${PUBLIC_BUCKET}`])
  })

  it('names every replica that failed when none answers', async () => {
    const client = createClient({
      signer: createAccount({ uri: '//SdkNoNode' }),
      nodes: ['http://127.0.0.1:1', 'http://127.0.0.1:2'],
      retries: 1,
      backoffMs: 1,
    })
    await assert.rejects(
      client.head(PUBLIC_BUCKET),
      (err: Error & { code: string; details: { attempts: unknown[] } }) => {
        assert.equal(err.code, 'ERR_UNAVAILABLE')
        assert.equal(err.details.attempts.length, 2)
        assert.match(err.message, /127\.0\.0\.1:1.*127\.0\.0\.1:2|127\.0\.0\.1:2.*127\.0\.0\.1:1/)
        return true
      },
    )
  })

  it('honours an AbortSignal', async () => {
    const client = createClient({ signer: createAccount({ uri: '//SdkAbort' }), nodes: net.nodes.map((n) => n.url) })
    const ac = new AbortController()
    ac.abort(new Error('stop'))
    await assert.rejects(client.head(PUBLIC_BUCKET, undefined, ac.signal), /stop/)
  })
})
