/** The viewer's /api against a real dev chain, three storage nodes and a CLS, all in this process. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAccount } from '@ddc/core'
import { PRIVATE_BUCKET, PUBLIC_BUCKET, startViewerNet, type ViewerNet } from './_testnet.js'
import { createViewer } from './server.js'

let net: ViewerNet
before(async () => {
  net = await startViewerNet()
})
after(async () => {
  await net?.close()
})

const get = async (url: string) => {
  const res = await net.viewer.inject({ method: 'GET', url })
  return {
    status: res.statusCode,
    body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body,
    res,
  }
}

describe('the app shell', () => {
  it('serves index.html, the bundle and the style sheet', async () => {
    const html = await get('/')
    assert.equal(html.status, 200)
    assert.match(String(html.res.headers['content-type']), /text\/html/)
    assert.match(html.res.body, /<main id="app">/)
    const js = await get('/app.js')
    assert.equal(js.status, 200)
    assert.match(String(js.res.headers['content-type']), /javascript/)
    assert.ok(js.res.body.length > 1000)
    const css = await get('/app.css')
    assert.match(css.res.body, /--accent/)
  })

  it('has /health, /openapi.json with the /api routes, and /metrics', async () => {
    const health = await get('/health')
    assert.equal(health.status, 200)
    assert.deepEqual(health.body.checks, { chain: true, cls: true })
    const doc = (await get('/openapi.json')).body
    for (const p of [
      '/api/overview',
      '/api/blocks/{id}',
      '/api/buckets/{bucket}/timelines/{owner}/events',
      '/api/search',
    ])
      assert.ok(doc.paths[p], `${p} in OpenAPI`)
    assert.equal((await get('/metrics')).status, 200)
  })
})

describe('chain', () => {
  it('overview: chain name, head, topology with health', async () => {
    const { status, body } = await get('/api/overview')
    assert.equal(status, 200)
    assert.equal(body.chain.name, 'DDC Dev Chain')
    assert.ok(body.chain.best.number >= 1)
    assert.equal(body.topology.clusters[0].id, 'dev-cluster')
    assert.equal(body.topology.clusters[0].nodes.length, 3)
  })

  it('blocks, one block by number and by hash, unknown block is 404', async () => {
    const list = (await get('/api/blocks?limit=3')).body
    assert.equal(list.length, 3)
    assert.ok(list[0].number > list[1].number)
    const byNumber = (await get(`/api/blocks/${list[1].number}`)).body
    assert.equal(byNumber.block.hash, list[1].hash)
    assert.ok(Array.isArray(byNumber.txs) && Array.isArray(byNumber.anchors))
    const byHash = (await get(`/api/blocks/${list[1].hash}`)).body
    assert.equal(byHash.block.number, list[1].number)
    const missing = await get('/api/blocks/99999999')
    assert.equal(missing.status, 404)
    assert.equal(missing.body.code, 'ERR_NOT_FOUND')
    assert.equal((await get('/api/blocks?limit=0')).status, 400)
  })

  it('unknown transaction is 404', async () => {
    const r = await get(`/api/tx/0x${'ab'.repeat(32)}`)
    assert.equal(r.status, 404)
  })

  it('anchors over the last blocks', async () => {
    const r = (await get('/api/anchors')).body
    assert.equal(r.from, Math.max(0, r.to - 999))
    assert.ok(Array.isArray(r.anchors))
  })

  it('account: balances and the buckets it owns', async () => {
    const alice = createAccount({ uri: '//Alice' }).address
    const r = (await get(`/api/accounts/${alice}`)).body
    assert.equal(r.account.address, alice)
    assert.ok(BigInt(r.account.free) > 0n)
    assert.deepEqual(r.buckets.map((b: { id: string }) => b.id).sort(), ['1', '2'])
  })
})

describe('data', () => {
  it('bucket with cluster nodes and health', async () => {
    const r = (await get(`/api/buckets/${PUBLIC_BUCKET}`)).body
    assert.equal(r.bucket.isPublic, true)
    assert.equal(r.cluster.nodes.length, 3)
    assert.equal((await get('/api/buckets/nope')).status, 404)
  })

  it('timelines of a bucket (CLS traversal), paginated', async () => {
    const r = (await get(`/api/buckets/${PUBLIC_BUCKET}/timelines?limit=10`)).body
    const t = r.timelines.find((x: { owner: string }) => x.owner === net.owner)
    assert.equal(t.length, 3)
    assert.equal(t.head.cid, net.cids[2])
  })

  it("a timeline's events, newest first, filtered by type", async () => {
    const base = `/api/buckets/${PUBLIC_BUCKET}/timelines/${net.owner}/events`
    const r = (await get(base)).body
    assert.equal(r.length, 3)
    assert.deepEqual(
      r.events.map((e: { seq: number }) => e.seq),
      [2, 1, 0],
    )
    assert.equal(r.events[0].envelope.type, 'click')
    assert.ok(net.nodeUrls.includes(r.node))
    const asc = (await get(`${base}?order=asc&limit=2`)).body
    assert.deepEqual(
      asc.events.map((e: { cid: string }) => e.cid),
      net.cids.slice(0, 2),
    )
    assert.ok(asc.next, 'a cursor to the next page')
    const rest = (await get(`${base}?order=asc&limit=2&cursor=${encodeURIComponent(asc.next)}`)).body
    assert.deepEqual(
      rest.events.map((e: { cid: string }) => e.cid),
      [net.cids[2]],
    )
    const views = (await get(`${base}?type=page_view`)).body
    assert.equal(views.events.length, 2)
  })

  it('one event by CID, with the gateway link of the node that has it', async () => {
    const r = (await get(`/api/events/${net.cids[0]}`)).body
    assert.equal(r.event.cid, net.cids[0])
    assert.equal(r.event.envelope.seq, 0)
    assert.equal(r.gateway, `${r.node}/ipfs/${net.cids[0]}`)
    const raw = await fetch(`${r.gateway}?format=raw`)
    assert.equal(raw.status, 200)
    const missing = await get('/api/events/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    assert.equal(missing.status, 404)
  })
})

describe('private buckets', () => {
  it('are refused unsigned, and read with an account that may read them', async () => {
    const url = `/api/buckets/${PRIVATE_BUCKET}/timelines/${net.owner}/events`
    assert.equal((await get(url)).status, 401)
    const v = await createViewer({
      chain: net.chainUrl,
      cls: net.clsUrl,
      signer: createAccount({ uri: '//Alice' }),
      defaultMetrics: false,
    })
    try {
      const r = await v.inject({ method: 'GET', url })
      assert.equal(r.statusCode, 200, r.body)
      assert.equal(r.json().events[0].envelope.type, 'secret')
    } finally {
      await v.close()
    }
  })
})

describe('search', () => {
  const kinds = async (q: string) =>
    ((await get(`/api/search?q=${encodeURIComponent(q)}`)).body.matches as { kind: string }[]).map((m) => m.kind).sort()

  it('recognizes a block number (and a bucket id), a block hash, an address, a CID, a bucket', async () => {
    assert.deepEqual(await kinds('1'), ['block', 'bucket'])
    const [b] = (await get('/api/blocks?limit=1')).body
    assert.deepEqual(await kinds(b.hash), ['block'])
    assert.deepEqual(await kinds(net.owner), ['account'])
    assert.deepEqual(await kinds(net.cids[1]!), ['event'])
    assert.deepEqual(await kinds(`0x${'cd'.repeat(32)}`), ['account'])
    assert.deepEqual(await kinds('nothing-here'), [])
  })
})

describe('upstream failures', () => {
  it('an unreachable chain answers 503 naming the URL', async () => {
    const v = await createViewer({
      chain: 'http://127.0.0.1:9',
      cls: 'http://127.0.0.1:9',
      timeoutMs: 500,
      defaultMetrics: false,
    })
    try {
      const r = await v.inject({ method: 'GET', url: '/api/overview' })
      assert.equal(r.statusCode, 503)
      assert.equal(r.json().code, 'ERR_UNAVAILABLE')
      assert.match(r.json().message, /127\.0\.0\.1:9/)
      assert.equal((await v.inject({ method: 'GET', url: '/health' })).statusCode, 503)
    } finally {
      await v.close()
    }
  })
})
