import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { devChainClient } from '@ddc/chain'
import { cidOf, encodeCanonical, toHex, utf8 } from '@ddc/core'
import { devSigners, execute, tempDir } from './_test-chain.js'
import { createDevChain } from './dev-chain.js'
import { key, readAccount } from './ledger/model.js'
import { createQueries } from './queries.js'

describe('dev chain persistence', () => {
  it('reopens with the same blocks and state root, and continues from the last block', async () => {
    const tmp = tempDir()
    const { alice, bob } = await devSigners()
    const root = cidOf(encodeCanonical({ heads: ['a', 'b'] }))
    let chain = await createDevChain({ dataDir: tmp.dir, blockIntervalMs: 0 })
    try {
      const genesis = toHex(chain.genesisHash)
      await execute(chain, alice, { call: 'balances.transfer', args: { to: bob.accountId, amount: 10n } })
      await execute(chain, alice, {
        call: 'buckets.create',
        args: { cluster: 'dev-cluster', isPublic: true, settings: {} },
      })
      await execute(chain, bob, { call: 'anchors.submit', args: { root, count: 2, period: 7 } })
      await chain.produceBlock()
      const best = chain.best()
      const hashes = await Promise.all([0, 1, 2, 3, 4].map(async (n) => toHex((await chain.block(n))!.hash)))
      const anchor = await createQueries(chain).anchor(root.toString())
      await chain.close()

      chain = await createDevChain({ dataDir: tmp.dir, blockIntervalMs: 0 })
      assert.equal(toHex(chain.genesisHash), genesis)
      assert.equal(toHex(chain.best().hash), toHex(best.hash))
      assert.deepEqual(chain.state.root, best.header.stateRoot)
      assert.deepEqual(await Promise.all([0, 1, 2, 3, 4].map(async (n) => toHex((await chain.block(n))!.hash))), hashes)
      assert.deepEqual(await createQueries(chain).anchor(root.toString()), anchor)
      assert.equal(readAccount(chain.state, alice.accountId).nonce, 2)
      assert.ok(chain.state.get(key.bucket('2')))

      const next = await execute(chain, alice, { call: 'balances.transfer', args: { to: bob.accountId, amount: 1n } })
      assert.equal(next.block, best.header.number + 1)
      assert.deepEqual(chain.best().header.parentHash, best.hash)
    } finally {
      await chain.close()
      tmp.remove()
    }
  })

  it('keeps every finalized transaction when the process is killed (SIGKILL) and recovers', async () => {
    const tmp = tempDir()
    const main = fileURLToPath(new URL('./main.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, DDC_CHAIN_DATA_DIR: tmp.dir, DDC_CHAIN_PORT: '0', DDC_CHAIN_BLOCK_INTERVAL_MS: '20' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      let url = ''
      for await (const line of createInterface({ input: child.stdout! })) {
        const log = JSON.parse(line) as { msg?: string; url?: string }
        if (log.msg === 'DDC dev chain running') {
          url = log.url!
          break
        }
      }
      child.stdout!.resume()
      const { alice } = await devSigners()
      const client = devChainClient({ url, signer: alice })
      const cid = cidOf(utf8('agreed to terms'), 0x55)
      const remark = await client.submitRemark(cid)
      assert.ok(remark.finalized)
      child.kill('SIGKILL')
      await once(child, 'exit')

      const chain = await createDevChain({ dataDir: tmp.dir, blockIntervalMs: 0 })
      try {
        assert.ok(chain.best().header.number >= remark.block.number)
        assert.deepEqual(chain.state.root, chain.best().header.stateRoot)
        const found = await createQueries(chain).remark(cid.toString())
        assert.equal(found.block.hash, remark.block.hash)
        assert.equal(found.txHash, remark.txHash)
      } finally {
        await chain.close()
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      tmp.remove()
    }
  })
})
