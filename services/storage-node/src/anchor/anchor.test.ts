/**
 * Anchoring and usage reports against a real dev chain: storage nodes that sign with their own keys
 * (//DdcNode1, //DdcNode2), proofs over the node API checked with core's verifyAnchorProof and the
 * chain, a root that survives a failed submission and a restart, and a payout that balances.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Chain, cachedBuckets, devChainClient, nodeIdOf } from '@ddc/chain'
import { createChainNode, DEV_CLUSTER, devGenesis, devNodeUri, palletAccount } from '@ddc/chain-node'
import { anchorProofFromJson, createAccount, cryptoReady, type LocalSigner, verifyAnchorProof } from '@ddc/core'
import { buildEvents, type FixtureEvent, headOf, jsonAppend } from '../fixtures.js'
import { createStorageNode, type StorageNode, type StorageNodeInit } from '../node.js'

const BUCKET = '2'
let dir: string
let chainUrl: string
let chainNode: Awaited<ReturnType<typeof createChainNode>>
let reader: Chain
let alice: LocalSigner
const nodes: StorageNode[] = []
/** Node 1 and (after its restart) node 2, which the usage test reports from. */
const reporters: StorageNode[] = []

const signed = (uri: string, url = chainUrl) => devChainClient({ url, signer: createAccount({ uri }) })

async function startNode(i: number, init: Partial<StorageNodeInit> = {}): Promise<StorageNode> {
  const node = await createStorageNode({
    dataDir: join(dir, `node${i}`),
    buckets: cachedBuckets(devChainClient({ url: chainUrl })),
    verifyWorkers: 0,
    defaultMetrics: false,
    chain: signed(devNodeUri(i)),
    // Rounds are started by the tests (anchorNow/reportNow); the timers would fire only after an hour.
    anchor: { periodMs: 3_600_000 },
    usageReports: { periodMs: 3_600_000 },
    ...init,
  })
  nodes.push(node)
  return node
}

async function append(node: StorageNode, events: FixtureEvent[]) {
  const res = await node.app.inject({ method: 'POST', url: '/events', payload: jsonAppend(events) })
  assert.equal(res.statusCode, 200, res.body)
}

const proofUrl = (seq: number) => `/buckets/${BUCKET}/timelines/${alice.address}/proofs/${seq}`

/** Checks an EventProof answer the way any client would: the proof alone, then the chain. */
async function checkProof(body: { proof: Parameters<typeof anchorProofFromJson>[0]; anchor: { block: unknown } }) {
  const proof = anchorProofFromJson(body.proof)
  const root = verifyAnchorProof(proof)
  const onChain = await reader.findAnchor(proof.root)
  assert.ok(onChain, 'the root is on chain')
  assert.equal(onChain.finalized, true)
  assert.equal(onChain.count, root.count)
  assert.deepEqual(onChain.block, body.anchor.block)
  return proof
}

before(async () => {
  await cryptoReady()
  dir = mkdtempSync(join(tmpdir(), 'ddc-anchor-'))
  alice = createAccount({ uri: '//Alice' })
  const genesis = await devGenesis()
  genesis.buckets.push({ id: BUCKET, owner: alice.address, cluster: DEV_CLUSTER, isPublic: true, settings: {} })
  chainNode = await createChainNode({
    dataDir: join(dir, 'chain'),
    genesis,
    blockIntervalMs: 50,
    logger: false,
    defaultMetrics: false,
  })
  chainUrl = await chainNode.app.listen({ host: '127.0.0.1', port: 0 })
  reader = devChainClient({ url: chainUrl })
})

after(async () => {
  for (const n of nodes) await n.close()
  await chainNode.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('anchoring', () => {
  let node: StorageNode
  let first: FixtureEvent[]

  it('anchors changed timelines and serves proofs that verify against the chain', async () => {
    node = await startNode(1)
    reporters.push(node)
    first = await buildEvents(alice, { bucket: BUCKET, head: null, count: 3 })
    await append(node, first)

    const early = await node.app.inject(proofUrl(1))
    assert.equal(early.statusCode, 404)
    assert.equal(early.json().code, 'ERR_NOT_ANCHORED')

    const record = await node.anchorer!.anchorNow()
    assert.ok(record)
    assert.equal(record.count, 1)
    assert.equal(record.submitter.length, 32)
    assert.equal(nodeIdOf(record.submitter), nodeIdOf(createAccount({ uri: devNodeUri(1) }).address))

    const res = await node.app.inject(proofUrl(1))
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.deepEqual(body.event, { seq: 1, cid: first[1]!.cid.toString() })
    assert.deepEqual(body.proof.head, { seq: 2, cid: headOf(first).cid.toString(), length: 3 })
    assert.equal(body.anchor.root, record.root.toString())
    assert.equal(body.anchor.txHash, record.txHash)
    const proof = await checkProof(body)
    assert.equal(proof.leaf.bucket, BUCKET)

    // By CID: the same anchor. The tree's root block is served by the IPFS gateway.
    const byCid = await node.app.inject(`/events/${first[0]!.cid}/proof`)
    assert.equal(byCid.statusCode, 200, byCid.body)
    assert.equal(byCid.json().anchor.root, record.root.toString())
    const block = await node.app.inject(`/ipfs/${record.root}?format=raw`)
    assert.equal(block.statusCode, 200)

    // Nothing changed: no new anchor.
    assert.equal(await node.anchorer!.anchorNow(), undefined)

    const paths = Object.keys((await node.app.inject('/openapi.json')).json().paths)
    for (const p of ['/buckets/{bucket}/timelines/{owner}/proofs/{seq}', '/events/{cid}/proof'])
      assert.ok(paths.includes(p), `${p} in the OpenAPI document`)
  })

  it('anchors only what changed; older events keep their first anchor', async () => {
    const more = await buildEvents(alice, { bucket: BUCKET, head: headOf(first), count: 2 })
    await append(node, more)
    assert.equal((await node.app.inject(proofUrl(4))).json().code, 'ERR_NOT_ANCHORED')
    const second = await node.anchorer!.anchorNow()
    assert.ok(second)
    const latest = await node.app.inject(`/buckets/${BUCKET}/timelines/${alice.address}/anchor`)
    assert.equal(latest.json().anchor.root, second.root.toString())
    assert.deepEqual(latest.json().proof.head, { seq: 4, cid: headOf(more).cid.toString(), length: 5 })
    await checkProof(latest.json())
    const old = (await node.app.inject(proofUrl(2))).json()
    assert.notEqual(old.anchor.root, second.root.toString())
    await checkProof(old)
  })

  it('anchors only the timelines this node is primary for', async () => {
    const other = await startNode(3, { anchor: { periodMs: 3_600_000, isPrimary: () => false } })
    await append(other, first)
    assert.equal(await other.anchorer!.anchorNow(), undefined)
    assert.equal((await other.app.inject(proofUrl(0))).json().code, 'ERR_NOT_ANCHORED')
  })

  it('anchors on its own every period', async () => {
    const timed = await startNode(4, { chain: signed(devNodeUri(3)), anchor: { periodMs: 200 } })
    const carol = createAccount({ uri: '//AnchorTimer' })
    await append(timed, await buildEvents(carol, { bucket: BUCKET, head: null, count: 1 }))
    const url = `/buckets/${BUCKET}/timelines/${carol.address}/proofs/0`
    // Bounded by attempts, not time: the round runs on the node's own timer.
    let res = await timed.app.inject(url)
    for (let k = 0; k < 200 && res.statusCode === 404; k++) {
      await new Promise((r) => setTimeout(r, 100))
      res = await timed.app.inject(url)
    }
    assert.equal(res.statusCode, 200, res.body)
    await checkProof(res.json())
  })

  it('keeps a built tree across a failed submission and a restart, and anchors it then', async () => {
    const bob = createAccount({ uri: '//Bob' })
    // A chain that does not answer (a closed port): the round fails after the tree is stored.
    const dead = devChainClient({
      url: 'http://127.0.0.1:9',
      signer: createAccount({ uri: devNodeUri(2) }),
      timeoutMs: 2000,
    })
    let node2 = await startNode(2, { chain: dead })
    const events = await buildEvents(bob, { bucket: BUCKET, head: null, count: 2 })
    const res = await node2.app.inject({ method: 'POST', url: '/events', payload: jsonAppend(events) })
    // Bob is not the bucket owner but appends to his own timeline in a public bucket.
    assert.equal(res.statusCode, 200, res.body)
    await assert.rejects(node2.anchorer!.anchorNow())
    await node2.close()

    node2 = await startNode(2)
    reporters.push(node2)
    const record = await node2.anchorer!.anchorNow()
    assert.equal(record, undefined, 'the pending root was confirmed; nothing else changed')
    const proof = await node2.app.inject(`/buckets/${BUCKET}/timelines/${bob.address}/proofs/0`)
    assert.equal(proof.statusCode, 200, proof.body)
    await checkProof(proof.json())
  })
})

describe('usage reports and payouts', () => {
  it('nodes report usage with their own keys and the payout balances to the token', async () => {
    const [n1, n2] = reporters as [StorageNode, StorageNode]
    await n1.app.inject(proofUrl(0)) // a read, counted as a request
    const period = 7
    const r1 = await n1.usageReporter!.reportNow(period)
    const r2 = await n2.usageReporter!.reportNow(period)
    assert.ok(r1 && r2)
    assert.equal(await n1.usageReporter!.reportNow(period), undefined, 'a period is reported once')
    const usage = await reader.getUsage(DEV_CLUSTER, period)
    const ids = [1, 2].map((i) => nodeIdOf(createAccount({ uri: devNodeUri(i) }).address))
    assert.deepEqual([...new Set(usage.map((u) => u.nodeId))].sort(), ids.sort())

    const accounts = async () => {
      const who = [alice.address, palletAccount('ddc/trsy'), createAccount({ uri: '//Charlie' }).address]
      return Promise.all(who.map((w) => reader.getAccount(w)))
    }
    const from = (await reader.head()).best.number
    const before = await accounts()
    const manager = signed('//Bob')
    const payout = await manager.runPayout(DEV_CLUSTER, period)
    const afterwards = await accounts()
    // Transaction fees (the payout's own) also go to the treasury: count them from the blocks.
    let fees = 0n
    for (let n = from + 1; n <= (await reader.head()).finalized.number; n++) {
      for (const e of (await reader.getBlock(n)).events)
        if (e.name === 'system.FeePaid') fees += BigInt(e.data.fee as string)
    }
    const { totals } = payout
    assert.ok(totals.charged > 0n)
    assert.equal(totals.charged, totals.toProviders + totals.toTreasury)
    assert.equal(before[0]!.deposit - afterwards[0]!.deposit, totals.charged)
    assert.equal(afterwards[1]!.free - before[1]!.free, totals.toTreasury + fees)
    // //Charlie provides node 1 (genesis): paid exactly its lines.
    const toCharlie = payout.lines.filter((l) => l.nodeId === ids[0]).reduce((s, l) => s + l.toProvider, 0n)
    assert.ok(toCharlie > 0n)
    assert.equal(afterwards[2]!.free - before[2]!.free, toCharlie)
  })
})
