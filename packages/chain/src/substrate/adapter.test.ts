import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { cidOf, cryptoReady, encodeCanonical, NotFoundError, toAccountId, utf8 } from '@ddc/core'
import type { IKeyringPair } from '@polkadot/types/types'
import type { Chain } from '../chain.js'
import { InsufficientBalanceError, NotSupportedError } from '../errors.js'
import { substrateChain } from './adapter.js'
import { ReplayProvider } from './replay-provider.js'
import { SIMULATED_FEE } from './replay-runtime.js'
import { substrateKeypair } from './signer.js'

const UNIT = 10n ** 12n

describe('Substrate adapter over a replaying provider (no node, real metadata)', () => {
  let provider: ReplayProvider
  let alice: IKeyringPair
  let bob: IKeyringPair
  let chain: Chain
  /** A second adapter on the same chain: knows nothing this process submitted. */
  let reader: Chain
  before(async () => {
    await cryptoReady()
    alice = substrateKeypair('//Alice')
    bob = substrateKeypair('//Bob')
    provider = new ReplayProvider({ balances: { [alice.address]: 1000n * UNIT, [bob.address]: 10n * UNIT } })
    const bucketOwner = toAccountId(alice.address)
    chain = await substrateChain({
      network: 'local',
      provider,
      signer: alice,
      topology: { buckets: [{ id: '7', owner: bucketOwner, isPublic: true, clusterId: 'c1', settings: {} }] },
    })
    reader = await substrateChain({ network: 'local', provider: provider.clone() })
  })
  after(async () => {
    await chain.close()
    await reader.close()
  })

  it('connects with ApiPromise from recorded node answers and describes the chain', async () => {
    const info = await chain.info()
    assert.deepEqual(info, {
      kind: 'substrate',
      name: 'Development',
      ss58Prefix: 42,
      token: { symbol: 'UNIT', decimals: 12 },
      genesisHash: (await chain.getBlock(0)).hash,
    })
    for (const m of ['chain_getBlockHash', 'state_getRuntimeVersion', 'state_call', 'rpc_methods']) {
      assert.ok(provider.calls.includes(m), `${m} was asked`)
    }
    const acct = await chain.getAccount(alice.address)
    assert.equal(acct.free, 1000n * UNIT)
    assert.equal(acct.nonce, 0)
  })

  it('submits an anchor end to end: signed, in a finalized block, found again by root in that block', async () => {
    const root = cidOf(encodeCanonical({ heads: ['h1', 'h2'] }))
    const record = await chain.submitAnchor({ root, count: 2, period: 11 })
    assert.ok(provider.calls.includes('author_submitAndWatchExtrinsic'))
    assert.equal(record.finalized, true)
    assert.equal(record.block.hash, provider.best.hash)
    assert.deepEqual(record.submitter, toAccountId(alice.address))
    assert.ok(record.timestamp > 0)
    const block = await reader.getBlock(record.block.number)
    assert.ok(block.txHashes.includes(record.txHash))
    assert.ok(block.events.some((e) => e.name === 'system.Remarked'))
    assert.deepEqual(await chain.findAnchor(root), record)
    await assert.rejects(reader.findAnchor(root), NotSupportedError)
    const found = await reader.findAnchor(root, { at: record.block.number })
    assert.deepEqual(found, record)
    assert.equal((await chain.getAccount(alice.address)).nonce, 1)
  })

  it('submits an event CID and its payment atomically, and reads the transfer parties back', async () => {
    const cid = cidOf(encodeCanonical({ type: 'payment', to: 'bob', amount: '3' }))
    const bob0 = provider.runtime.free(bob.address)
    const record = await chain.submitRemark(cid, { transfer: { to: bob.address, amount: 3n * UNIT } })
    assert.equal(provider.runtime.free(bob.address), bob0 + 3n * UNIT)
    const found = await reader.findRemark(cid, { at: record.block.hash })
    assert.deepEqual(found, record)
    assert.deepEqual(found?.transfer, {
      from: toAccountId(alice.address),
      to: toAccountId(bob.address),
      amount: 3n * UNIT,
    })
  })

  it('refuses the pair when the payment fails: typed error, no remark on chain', async () => {
    const cid = cidOf(utf8('overdraft'), 0x55)
    const alice0 = provider.runtime.free(alice.address)
    await assert.rejects(
      chain.submitRemark(cid, { transfer: { to: bob.address, amount: 10_000n * UNIT } }),
      InsufficientBalanceError,
    )
    assert.equal(provider.runtime.free(alice.address), alice0 - SIMULATED_FEE, 'only the fee is paid')
    assert.equal(await reader.findRemark(cid, { at: provider.best.hash }), undefined)
  })

  it('maps a pool refusal (cannot pay the fee) to InsufficientBalanceError', async () => {
    const pauper = await substrateChain({
      network: 'local',
      provider: provider.clone(),
      signer: substrateKeypair('//Nobody'),
    })
    await assert.rejects(pauper.submitAnchor({ root: cidOf(utf8('x')), count: 1 }), InsufficientBalanceError)
    await pauper.close()
  })

  it('streams finalized blocks in order', async () => {
    const ac = new AbortController()
    const start = provider.best.header.number.toNumber()
    const seen: number[] = []
    const reading = (async () => {
      for await (const b of reader.finalizedBlocks({ from: start, signal: ac.signal })) {
        seen.push(b.number)
        if (seen.length === 3) ac.abort()
      }
    })()
    provider.produceBlock()
    provider.produceBlock()
    await reading
    assert.deepEqual(seen, [start, start + 1, start + 2])
  })

  it('takes topology from configuration on a chain without DDC pallets, and says what it cannot do', async () => {
    const bucket = await chain.getBucket('7')
    assert.equal(bucket.isPublic, true)
    await assert.rejects(chain.getBucket('8'), NotFoundError)
    assert.deepEqual(
      (await reader.listBuckets(alice.address)).map((b) => b.id),
      [],
    )
    await assert.rejects(chain.createBucket({ clusterId: 'c1' }), NotSupportedError)
    await assert.rejects(chain.runPayout('c1', 1), NotSupportedError)
    await assert.rejects(chain.deposit(1n), NotSupportedError)
  })
})
