import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { replicaSet } from '@ddc/cluster'
import { createAccount, toAddress } from '@ddc/core'
import { DEV_CLUSTER, startNetwork, type TestNetwork, until, users } from './_fixture.js'
import type { Cls } from './server.js'

let net: TestNetwork
let cls: Cls & { url: string }
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'

describe('placement, buckets and topology', () => {
  before(async () => {
    net = await startNetwork({ nodes: 4 })
    // Refresh only on finalized blocks here: the periodic refresh must not be what makes changes show.
    cls = await net.startCls({ refreshIntervalMs: 600_000, probeIntervalMs: 200 })
  })
  after(async () => net?.close())

  it('locates a timeline on the replica set that @ddc/cluster computes from the chain topology', async () => {
    const cluster = await net.chain.getCluster(DEV_CLUSTER)
    const nodes = await net.chain.listNodes({ clusterId: DEV_CLUSTER })
    assert.equal(nodes.length, 4)
    assert.equal(cluster.replicationFactor, 3)
    for (const user of users(12)) {
      const res = await cls.app.inject(`/v1/locate/1/${user.address}`)
      assert.equal(res.statusCode, 200, res.body)
      const body = res.json()
      const expected: string[] = replicaSet('1', user.accountId, nodes, cluster.replicationFactor).map((n) => n.id)
      assert.deepEqual(
        body.replicas.map((n: { id: string }) => n.id),
        expected,
      )
      assert.deepEqual(
        body.home.map((n: { id: string }) => n.id),
        expected,
      )
      assert.equal(body.degraded, false)
      assert.equal(body.cluster, DEV_CLUSTER)
      assert.equal(body.replicationFactor, 3)
      assert.equal(body.owner, user.address)
      const first = body.replicas[0]
      assert.equal(first.health.status, 'up')
      assert.equal(first.serving, true)
      assert.equal(first.endpoint, net.nodes.find((n) => n.id === first.id)!.url)
      assert.equal(typeof first.health.latencyMs, 'number')
    }
  })

  it('accepts the owner as 0x-hex AccountId32 too', async () => {
    const [user] = users(1)
    const hex = `0x${Buffer.from(user!.accountId).toString('hex')}`
    const res = await cls.app.inject(`/v1/locate/1/${hex}`)
    assert.equal(res.json().owner, user!.address)
  })

  it('answers a bucket with its cluster and nodes, and the buckets of an account', async () => {
    const res = await cls.app.inject('/v1/buckets/1')
    assert.equal(res.statusCode, 200)
    const { bucket, cluster } = res.json()
    assert.deepEqual(bucket, {
      id: '1',
      owner: ALICE,
      isPublic: false,
      clusterId: DEV_CLUSTER,
      settings: { demo: true },
    })
    assert.equal(cluster.id, DEV_CLUSTER)
    assert.equal(cluster.replicationFactor, 3)
    assert.deepEqual(
      cluster.nodes.map((n: { id: string }) => n.id),
      net.nodes.map((n) => n.id),
    )
    const mine = (await cls.app.inject(`/v1/accounts/${ALICE}/buckets`)).json()
    assert.equal(mine.account, ALICE)
    assert.deepEqual(
      mine.buckets.map((b: { id: string }) => b.id),
      ['1'],
    )
    const none = (await cls.app.inject(`/v1/accounts/${users(1)[0]!.address}/buckets`)).json()
    assert.deepEqual(none.buckets, [])
  })

  it('refuses bad input with stable codes', async () => {
    const cases: [string, number, string][] = [
      ['/v1/locate/1/not-an-address', 400, 'ERR_INVALID_ADDRESS'],
      ['/v1/locate/1/0x1234', 400, 'ERR_INVALID_INPUT'],
      [`/v1/locate/404/${ALICE}`, 404, 'ERR_NOT_FOUND'],
      ['/v1/buckets/nope', 404, 'ERR_NOT_FOUND'],
      ['/v1/accounts/5Grw/buckets', 400, 'ERR_INVALID_ADDRESS'],
      ['/v1/nodes/0x00', 404, 'ERR_NOT_FOUND'],
      ['/v1/nowhere', 404, 'ERR_NOT_FOUND'],
    ]
    for (const [url, status, code] of cases) {
      const res = await cls.app.inject(url)
      assert.equal(res.statusCode, status, url)
      assert.equal(res.json().code, code, url)
    }
  })

  it('serves the topology with an ETag, 304 while unchanged, and follows finalized blocks', async () => {
    const first = await cls.app.inject('/v1/topology')
    assert.equal(first.statusCode, 200)
    const etag = first.headers.etag as string
    const doc = first.json()
    assert.equal(doc.etag, etag)
    assert.equal(doc.placement.algorithm, 'rendezvous-sha256-v1')
    assert.deepEqual(
      doc.clusters.map((c: { id: string; replicationFactor: number }) => [c.id, c.replicationFactor]),
      [[DEV_CLUSTER, 3]],
    )
    assert.ok(doc.clusters[0].nodes.every((n: { health: string; serving: boolean }) => n.health === 'up' && n.serving))
    // Probes keep running (latencies change) but the document, and so the ETag, does not.
    await new Promise((r) => setTimeout(r, 450))
    const again = await cls.app.inject({ url: '/v1/topology', headers: { 'if-none-match': etag } })
    assert.equal(again.statusCode, 304)
    assert.equal(again.body, '')
    assert.equal(
      (await cls.app.inject({ url: '/v1/topology', headers: { 'if-none-match': `W/${etag}` } })).statusCode,
      304,
    )

    // A node registered and added to the cluster on chain shows up once its block is final.
    const charlie = await net.signed('Charlie')
    const bob = await net.signed('Bob')
    const newNode = createAccount({ uri: '//DdcNodeExtra' })
    await charlie.registerNode({ publicKey: newNode.accountId, endpoints: ['http://127.0.0.1:9'] })
    await bob.addNodeToCluster(DEV_CLUSTER, newNode.address)
    let changed: { statusCode: number; json(): { clusters: { nodes: { id: string }[] }[] } } | undefined
    await until(
      async () => {
        changed = await cls.app.inject({ url: '/v1/topology', headers: { 'if-none-match': etag } })
        return changed.statusCode === 200
      },
      5000,
      'the topology to follow the chain',
    )
    const ids = changed!.json().clusters[0]!.nodes.map((n) => n.id)
    assert.equal(ids.length, 5)
    assert.equal(ids[4], `0x${Buffer.from(newNode.accountId).toString('hex')}`)
    // Nothing answers at the new node's endpoint: it goes down and leaves the serving set, not the home set.
    await until(
      async () => (await cls.app.inject(`/v1/nodes/${ids[4]}`)).json().health.status === 'down',
      5000,
      'the new node to be marked down',
    )
    const info = (await cls.app.inject('/v1/info')).json()
    assert.equal(info.service, 'ddc-cls')
    assert.equal(info.account, null)
    assert.equal(info.topology.nodes, 5)
    assert.ok(info.chain.finalized.number > 0)
    assert.equal(info.chain.ss58Prefix, 42)
  })

  it('lists every node with its health', async () => {
    const { nodes } = (await cls.app.inject('/v1/nodes')).json()
    assert.ok(nodes.length >= 4)
    for (const n of net.nodes) {
      const v = nodes.find((x: { id: string }) => x.id === n.id)
      assert.equal(v.health.status, 'up')
      assert.equal(v.health.consecutiveFailures, 0)
      assert.ok(v.health.lastSeen > 0)
      assert.equal(v.provider.length, toAddress(new Uint8Array(32)).length)
    }
  })

  it('publishes every route in its OpenAPI document, and metrics', async () => {
    const doc = (await cls.app.inject('/openapi.json')).json()
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/health',
      '/v1/accounts/{address}/buckets',
      '/v1/buckets/{bucket}',
      '/v1/buckets/{bucket}/timelines',
      '/v1/info',
      '/v1/keys',
      '/v1/keys/{address}',
      '/v1/locate/{bucket}/{owner}',
      '/v1/nodes',
      '/v1/nodes/{id}',
      '/v1/topology',
    ])
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { summary?: string; tags?: string[] }>>,
    )) {
      for (const op of Object.values(ops)) {
        assert.ok(op.summary, `${path} has a summary`)
        assert.ok(op.tags?.length, `${path} has tags`)
      }
    }
    assert.equal((await cls.app.inject('/docs')).statusCode < 400, true)
    const metrics = (await cls.app.inject('/metrics')).body
    assert.match(metrics, /ddc_cls_node_up\{node="0x[0-9a-f]{64}",service="ddc-cls"\} 1/)
    assert.match(metrics, /ddc_cls_topology_refreshes_total\{result="ok",service="ddc-cls"\} \d+/)
    const health = (await cls.app.inject('/health')).json()
    assert.deepEqual(health.checks, { topology: true, 'key-directory': true })
  })
})
