import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  type AnchorRecord,
  type Chain,
  devChainClient,
  InsufficientBalanceError,
  NoSignerError,
  NotOwnerError,
  nodeIdOf,
} from '@ddc/chain'
import { bytesEqual, cidOf, createAccount, encodeCanonical, NotFoundError, utf8 } from '@ddc/core'
import { devSigners, tempDir } from './_test-chain.js'
import { devNodeUri } from './genesis.js'
import { type ChainNode, createChainNode } from './server.js'

describe('devChainClient against a chain node over a real socket', () => {
  let node: ChainNode
  let url: string
  let tmp: ReturnType<typeof tempDir>
  let s: Awaited<ReturnType<typeof devSigners>>
  let alice: Chain
  let bob: Chain
  before(async () => {
    tmp = tempDir()
    s = await devSigners()
    node = await createChainNode({ dataDir: tmp.dir, blockIntervalMs: 25, logger: false, defaultMetrics: false })
    url = await node.app.listen({ host: '127.0.0.1', port: 0 })
    alice = devChainClient({ url, signer: s.alice })
    bob = devChainClient({ url, signer: s.bob })
  })
  after(async () => {
    await node.close()
    tmp.remove()
  })

  it('reads chain info, head, accounts, clusters and nodes', async () => {
    const info = await alice.info()
    assert.equal(info.kind, 'dev')
    assert.equal(info.token.symbol, 'CERE')
    assert.match(info.genesisHash, /^0x[0-9a-f]{64}$/)
    const head = await alice.head()
    assert.ok(head.best.number >= head.finalized.number)
    const acct = await bob.getAccount(s.alice.address)
    assert.deepEqual(acct.accountId, s.alice.accountId)
    assert.ok(acct.free > 0n && acct.deposit > 0n)
    const [cluster] = await alice.listClusters()
    assert.equal(cluster?.id, 'dev-cluster')
    assert.equal(cluster?.replicationFactor, 3)
    const nodes = await alice.listNodes({ clusterId: 'dev-cluster' })
    assert.equal(nodes.length, 3)
    assert.deepEqual(nodes.map((n) => n.endpoints[0]).sort(), [
      'http://127.0.0.1:8101',
      'http://127.0.0.1:8102',
      'http://127.0.0.1:8103',
    ])
    const n1 = createAccount({ uri: devNodeUri(1) })
    const byAddress = await alice.getNode(n1.address)
    assert.equal(byAddress.id, nodeIdOf(n1.accountId))
    assert.deepEqual(await alice.getNode(byAddress.id), byAddress)
  })

  it('transfers and resolves once finalized; concurrent submissions from one client never race for a nonce', async () => {
    const before = (await alice.getAccount(s.charlie.address)).free
    const receipts = await Promise.all([1n, 2n, 3n, 4n, 5n].map((n) => alice.transfer(s.charlie.address, n)))
    for (const r of receipts) {
      assert.equal(r.finalized, true)
      assert.ok(r.fee && r.fee > 0n)
      assert.ok(r.events.some((e) => e.name === 'balances.Transfer'))
      assert.equal((await alice.getBlock(r.block.number)).hash, r.block.hash)
    }
    assert.equal((await alice.getAccount(s.charlie.address)).free, before + 15n)
  })

  it('creates, reads, lists and updates buckets; refusals arrive as the same typed errors', async () => {
    const { bucket, receipt } = await alice.createBucket({
      clusterId: 'dev-cluster',
      isPublic: true,
      settings: { app: 'demo' },
    })
    assert.ok(receipt.finalized)
    assert.deepEqual(bucket.owner, s.alice.accountId)
    assert.deepEqual(await bob.getBucket(bucket.id), bucket)
    assert.ok((await bob.listBuckets(s.alice.address)).some((b) => b.id === bucket.id))
    const updated = await alice.updateBucket(bucket.id, { isPublic: false })
    assert.equal(updated.bucket.isPublic, false)
    assert.deepEqual(updated.bucket.settings, { app: 'demo' })
    await assert.rejects(bob.updateBucket(bucket.id, { isPublic: true }), NotOwnerError)
    await assert.rejects(bob.getBucket('404'), NotFoundError)
    await assert.rejects(devChainClient({ url }).transfer(s.bob.address, 1n), NoSignerError)
  })

  it('anchors a root: the record names its finalized block, look-up and range agree, subscribers see it', async () => {
    const ac = new AbortController()
    const seen: AnchorRecord[] = []
    const watching = (async () => {
      for await (const a of bob.anchors({ signal: ac.signal })) {
        seen.push(a)
        ac.abort()
      }
    })()
    await new Promise((r) => setTimeout(r, 50))
    const root = cidOf(encodeCanonical({ heads: ['x'] }))
    const record = await alice.submitAnchor({ root, count: 1, period: 5 })
    assert.ok(record.finalized)
    assert.ok(record.root.equals(root))
    assert.deepEqual(record.submitter, s.alice.accountId)
    assert.equal((await alice.getBlock(record.block.hash)).number, record.block.number)
    assert.deepEqual(await bob.findAnchor(root), record)
    assert.deepEqual(await bob.listAnchors({ fromBlock: record.block.number, toBlock: record.block.number }), [record])
    assert.equal(await bob.findAnchor(cidOf(utf8('never anchored'))), undefined)
    await watching
    assert.equal(seen[0]?.txHash, record.txHash)
    assert.deepEqual(seen[0]?.block, record.block)
  })

  it('records an event CID with a payment atomically, and refuses the pair when the payment fails', async () => {
    const cid = cidOf(encodeCanonical({ type: 'payment', amount: 250 }))
    const before = (await alice.getAccount(s.eve.address)).free
    const r = await alice.submitRemark(cid, { transfer: { to: s.eve.address, amount: 250n } })
    assert.ok(r.cid.equals(cid) && r.finalized)
    assert.ok(r.transfer && bytesEqual(r.transfer.to, s.eve.accountId) && r.transfer.amount === 250n)
    assert.equal((await alice.getAccount(s.eve.address)).free, before + 250n)
    assert.deepEqual(await bob.findRemark(cid), r)
    const big = cidOf(encodeCanonical({ type: 'payment', amount: 'too much' }))
    await assert.rejects(
      alice.submitRemark(big, { transfer: { to: s.eve.address, amount: 10n ** 19n } }),
      InsufficientBalanceError,
    )
    assert.equal(await bob.findRemark(big), undefined)
  })

  it('delivers finalized blocks in order from a starting block', async () => {
    const ac = new AbortController()
    const numbers: number[] = []
    for await (const b of alice.finalizedBlocks({ from: 2, signal: ac.signal })) {
      numbers.push(b.number)
      if (numbers.length === 4) ac.abort()
    }
    assert.deepEqual(numbers, [2, 3, 4, 5])
  })

  it('runs deposits, usage and an idempotent payout through the client', async () => {
    const charlie = devChainClient({ url, signer: s.charlie })
    await alice.deposit(1_000_000n)
    const nodeId = nodeIdOf(createAccount({ uri: devNodeUri(1) }).accountId)
    const records = [{ bucketId: '1', nodeId, storedBytes: 3_000_000, readBytes: 1_000_000, requests: 7 }]
    await charlie.submitUsage({ clusterId: 'dev-cluster', period: 9, records })
    assert.deepEqual(await bob.getUsage('dev-cluster', 9), records)
    const first = await bob.runPayout('dev-cluster', 9)
    const second = await bob.runPayout('dev-cluster', 9)
    assert.deepEqual(second, first)
    assert.equal(first.totals.charged, first.totals.toProviders + first.totals.toTreasury)
    assert.ok(first.totals.charged > 0n)
    await assert.rejects(alice.withdrawDeposit(10n ** 19n), InsufficientBalanceError)
  })
})
