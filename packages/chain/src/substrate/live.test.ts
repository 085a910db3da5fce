/**
 * The adapter against a live Substrate node: skipped unless DDC_SUBSTRATE_URL is set, e.g.
 *   DDC_SUBSTRATE_URL=ws://127.0.0.1:9944 node scripts/test.mjs packages/chain
 * against `substrate-node --dev` (or any chain where DDC_SUBSTRATE_SURI, default //Alice, has funds).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidOf, cryptoReady, encodeCanonical, toAccountId } from '@ddc/core'
import { substrateChain } from './adapter.js'
import { substrateKeypair } from './signer.js'

const url = process.env.DDC_SUBSTRATE_URL
const skip = url ? false : 'set DDC_SUBSTRATE_URL=ws://127.0.0.1:9944 (a dev node where //Alice has funds) to run'

describe('Substrate adapter against a live node', { skip }, () => {
  it('anchors a root, finds it by block, pays with a remark atomically, and follows finalized blocks', async () => {
    await cryptoReady()
    const info0 = await substrateChain({ network: { endpoint: url! } })
    const { ss58Prefix } = await info0.info()
    await info0.close()
    const signer = substrateKeypair(process.env.DDC_SUBSTRATE_SURI ?? '//Alice', { ss58Prefix })
    const chain = await substrateChain({ network: { endpoint: url!, ss58Prefix }, signer })
    const reader = await substrateChain({ network: { endpoint: url!, ss58Prefix } })
    try {
      const root = cidOf(encodeCanonical({ live: Date.now() }))
      const anchor = await chain.submitAnchor({ root, count: 1, period: 1 })
      assert.ok(anchor.finalized)
      assert.deepEqual(await reader.findAnchor(root, { at: anchor.block.hash }), anchor)

      const bob = substrateKeypair('//Bob', { ss58Prefix })
      const before = (await reader.getAccount(bob.address)).free
      const cid = cidOf(encodeCanonical({ payment: Date.now() }))
      const remark = await chain.submitRemark(cid, { transfer: { to: bob.address, amount: 10n ** 10n } })
      assert.equal((await reader.getAccount(bob.address)).free, before + 10n ** 10n)
      const found = await reader.findRemark(cid, { at: remark.block.number })
      assert.deepEqual(found?.transfer?.to, toAccountId(bob.address))

      const ac = new AbortController()
      for await (const b of reader.finalizedBlocks({ from: remark.block.number, signal: ac.signal })) {
        assert.equal(b.number, remark.block.number)
        assert.ok(b.txHashes.includes(remark.txHash))
        ac.abort()
      }
    } finally {
      await chain.close()
      await reader.close()
    }
  })
})
