import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidOf, encodeCanonical, toHex } from '@ddc/core'
import { execute, openTestChain, signFor } from './_test-chain.js'
import { blockHash, extrinsicsRoot } from './ledger/block.js'
import { createQueries } from './queries.js'

describe('dev chain blocks, finality and anchors', () => {
  it('produces linked blocks on its own at the configured interval; finality trails by finalityDepth', async () => {
    const t = await openTestChain({ blockIntervalMs: 20, finalityDepth: 2 })
    try {
      const ac = new AbortController()
      const finalized: number[] = []
      for await (const m of t.chain.blocks({ stream: 'finalized', from: 0, signal: ac.signal })) {
        assert.ok(m.finalized)
        finalized.push(m.block.header.number)
        if (finalized.length === 5) ac.abort()
      }
      assert.deepEqual(finalized, [0, 1, 2, 3, 4])
      assert.ok(t.chain.best().header.number - t.chain.finalizedNumber() <= 2)
      assert.ok(t.chain.best().header.number >= 6)
      for (let n = 1; n <= 4; n++) {
        const [parent, block] = [(await t.chain.block(n - 1))!, (await t.chain.block(n))!]
        assert.deepEqual(block.header.parentHash, parent.hash)
        assert.deepEqual(block.hash, blockHash(block.header))
        assert.ok(block.header.timestamp > parent.header.timestamp)
      }
    } finally {
      await t.cleanup()
    }
  })

  it('streams best blocks to a late subscriber from where it asks, without gaps', async () => {
    const t = await openTestChain()
    try {
      for (let i = 0; i < 3; i++) await t.chain.produceBlock()
      const ac = new AbortController()
      const seen: number[] = []
      const reading = (async () => {
        for await (const m of t.chain.blocks({ stream: 'best', from: 1, signal: ac.signal })) {
          seen.push(m.block.header.number)
          if (seen.length === 5) ac.abort()
        }
      })()
      await t.chain.produceBlock()
      await t.chain.produceBlock()
      await reading
      assert.deepEqual(seen, [1, 2, 3, 4, 5])
    } finally {
      await t.cleanup()
    }
  })

  it('anchors a root: lookup by root gives the block, transaction and finality; a root lands once', async () => {
    const t = await openTestChain({ finalityDepth: 1 })
    try {
      const q = createQueries(t.chain)
      const root = cidOf(encodeCanonical({ tree: 'heads', n: 3 }))
      const accepted = await execute(t.chain, t.signers.dave, {
        call: 'anchors.submit',
        args: { root, count: 3, period: 42 },
      })
      const block = (await t.chain.block(accepted.block))!
      assert.deepEqual(block.txs, [accepted.tx.hash])
      assert.deepEqual(block.header.extrinsicsRoot, extrinsicsRoot([accepted.tx.hash]))
      let anchor = await q.anchor(root.toString())
      assert.deepEqual(anchor.block, { number: accepted.block, hash: toHex(block.hash) })
      assert.equal(anchor.txHash, accepted.tx.hash)
      assert.equal(anchor.count, 3)
      assert.equal(anchor.period, 42)
      assert.equal(anchor.submitter, t.signers.dave.address)
      assert.equal(anchor.timestamp, block.header.timestamp)
      assert.equal(anchor.finalized, false, 'one block of finality depth')
      await t.chain.produceBlock()
      anchor = await q.anchor(root.toString())
      assert.equal(anchor.finalized, true)
      assert.deepEqual(await q.anchors(0, t.chain.best().header.number), [anchor])
      assert.deepEqual(await q.anchors(0, accepted.block - 1), [])
      const again = await signFor(t.chain, t.signers.eve, { call: 'anchors.submit', args: { root, count: 1 } })
      assert.throws(() => t.chain.submit(again.bytes), { code: 'ERR_ALREADY_EXISTS' })
      await assert.rejects(q.anchor(cidOf(encodeCanonical({ other: true })).toString()), { code: 'ERR_NOT_FOUND' })
    } finally {
      await t.cleanup()
    }
  })

  it('resolves a waiting caller once its transaction is finalized', async () => {
    const t = await openTestChain({ blockIntervalMs: 15, finalityDepth: 2 })
    try {
      const tx = await signFor(t.chain, t.signers.alice, {
        call: 'balances.transfer',
        args: { to: t.signers.bob.accountId, amount: 1n },
      })
      const accepted = t.chain.submit(tx.bytes)
      const inBlock = await t.chain.waitForTx(tx.hash, 'inBlock')
      assert.ok(inBlock && inBlock.status !== 'pending')
      const done = await t.chain.waitForTx(tx.hash, 'finalized')
      assert.equal(done?.status, 'finalized')
      assert.ok(t.chain.finalizedNumber() >= accepted.block)
    } finally {
      await t.cleanup()
    }
  })
})
