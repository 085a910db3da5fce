import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import type { StorageNode } from '@ddc/chain'
import { replicaSet } from '@ddc/cluster'
import { startNetwork, type TestNetwork, until, users } from './_fixture.js'
import { createHealthProber } from './health.js'
import type { Cls } from './server.js'

/** A bare HTTP server whose /health answers as told: to test the prober's rules, not a storage node. */
async function switchable(): Promise<{ url: string; mode: 'ok' | 'error' | 'hang'; server: Server }> {
  const state = { mode: 'ok' as 'ok' | 'error' | 'hang' }
  const server = createServer((_req, res) => {
    if (state.mode === 'hang') return
    res.writeHead(state.mode === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ status: state.mode === 'ok' ? 'ok' : 'degraded' }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, server })
}

const nodeAt = (id: string, endpoints: string[]): StorageNode => ({
  id,
  publicKey: new Uint8Array(32),
  provider: new Uint8Array(32),
  endpoints,
  status: 'active',
})

describe('health prober', () => {
  it('marks a node down only after consecutive failures, and up again after consecutive successes', async () => {
    const s = await switchable()
    const changes: string[] = []
    const prober = createHealthProber({
      timeoutMs: 1000,
      failuresBeforeDown: 3,
      successesBeforeUp: 2,
      onChange: (id, h) => changes.push(`${id}:${h.status}`),
    })
    try {
      prober.sync([nodeAt('a', [s.url])])
      assert.equal(prober.health('a').status, 'unknown')
      await prober.probeAll()
      assert.equal(prober.health('a').status, 'up')
      assert.ok(prober.health('a').latencyMs! >= 0)
      s.mode = 'error'
      await prober.probeAll()
      s.mode = 'hang'
      await prober.probeAll()
      assert.equal(prober.health('a').status, 'up', 'two failures are not enough')
      assert.equal(prober.health('a').consecutiveFailures, 2)
      assert.match(prober.health('a').lastError!, /timeout|abort/i)
      await prober.probeAll()
      assert.equal(prober.health('a').status, 'down')
      s.mode = 'ok'
      await prober.probeAll()
      assert.equal(prober.health('a').status, 'down', 'one success is not enough')
      await prober.probeAll()
      assert.equal(prober.health('a').status, 'up')
      assert.equal(prober.health('a').consecutiveFailures, 0)
      assert.deepEqual(changes, ['a:up', 'a:down', 'a:up'])
    } finally {
      prober.close()
      s.server.closeAllConnections()
      s.server.close()
    }
  })

  it("tries a node's endpoints in order and remembers the one that answered", async () => {
    const s = await switchable()
    const prober = createHealthProber({ timeoutMs: 500, failuresBeforeDown: 1 })
    try {
      prober.sync([nodeAt('b', ['http://127.0.0.1:9', s.url])])
      await prober.probeAll()
      assert.equal(prober.health('b').status, 'up')
      assert.equal(prober.health('b').endpoint, s.url)
      prober.sync([])
      assert.equal(prober.all().size, 0)
      assert.equal(prober.health('b').status, 'unknown')
    } finally {
      prober.close()
      s.server.close()
    }
  })
})

describe('placement follows node health', () => {
  let net: TestNetwork
  let cls: Cls & { url: string }
  before(async () => {
    net = await startNetwork({ nodes: 4 })
    cls = await net.startCls({ probeIntervalMs: 60, probeTimeoutMs: 1000, failuresBeforeDown: 2 })
  })
  after(async () => net?.close())

  it('drops a node that stops answering from the replica set, and takes it back when it recovers', async () => {
    const nodes = await net.chain.listNodes({ clusterId: 'dev-cluster' })
    const owners = users(8)
    // The node that is first replica of the first owner: stopping it must change that owner's replicas.
    const victim = net.nodes.find((n) => n.id === replicaSet('1', owners[0]!.accountId, nodes, 3)[0]!.id)!
    const locate = async (address: string) => (await cls.app.inject(`/v1/locate/1/${address}`)).json()
    const ids = (list: { id: string }[]) => list.map((n) => n.id)

    await victim.stop()
    await until(async () => (await locate(owners[0]!.address)).degraded, 5000, 'the node to be dropped')
    for (const o of owners) {
      const at = await locate(o.address)
      const healthy = nodes.filter((n) => n.id !== victim.id)
      assert.deepEqual(ids(at.replicas), ids(replicaSet('1', o.accountId, healthy, 3)))
      assert.deepEqual(ids(at.home), ids(replicaSet('1', o.accountId, nodes, 3)))
      assert.ok(!ids(at.replicas).includes(victim.id))
      assert.equal(at.degraded, ids(at.home).includes(victim.id))
    }
    const down = (await cls.app.inject(`/v1/nodes/${victim.id}`)).json()
    assert.equal(down.health.status, 'down')
    assert.equal(down.serving, false)
    assert.ok(down.health.consecutiveFailures >= 2)
    assert.ok(down.health.lastError)
    const topo = (await cls.app.inject('/v1/topology')).json()
    assert.equal(topo.clusters[0].nodes.find((n: { id: string }) => n.id === victim.id).health, 'down')
    assert.match(
      (await cls.app.inject('/metrics')).body,
      new RegExp(`ddc_cls_node_up\\{node="${victim.id}",service="ddc-cls"\\} 0`),
    )

    await victim.start()
    await until(async () => !(await locate(owners[0]!.address)).degraded, 5000, 'the node to come back')
    for (const o of owners) {
      const at = await locate(o.address)
      assert.deepEqual(ids(at.replicas), ids(replicaSet('1', o.accountId, nodes, 3)))
      assert.equal(at.degraded, false)
    }
    const back = (await cls.app.inject(`/v1/nodes/${victim.id}`)).json()
    assert.equal(back.health.status, 'up')
    assert.ok(back.health.lastSeen >= down.health.since)
  })
})
