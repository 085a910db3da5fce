import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { nodeIdOf } from '@ddc/chain'
import type { CallArgs } from '@ddc/chain/dev'
import { createAccount } from '@ddc/core'
import { execute, issuance, openTestChain, signFor } from './_test-chain.js'
import { devNodeUri } from './genesis.js'
import { readAccount } from './ledger/model.js'
import { createQueries } from './queries.js'

describe('usage and payouts', () => {
  let t: Awaited<ReturnType<typeof openTestChain>>
  const node = (i: number) => createAccount({ uri: devNodeUri(i) }).accountId
  before(async () => {
    t = await openTestChain()
  })
  after(async () => t.cleanup())

  it('charges owners, pays providers and the treasury, and balances to the token', async () => {
    const { chain, signers } = t
    const { bob, charlie, dave, eve, ferdie } = signers
    const q = createQueries(chain)
    // Ferdie's bucket has a deposit that cannot cover its usage.
    await execute(chain, ferdie, {
      call: 'buckets.create',
      args: { cluster: 'dev-cluster', isPublic: false, settings: {} },
    })
    await execute(chain, ferdie, { call: 'deposits.add', args: { amount: 1000n } })
    const usage = (bucket: string, n: number, storedBytes: number): CallArgs['usage.report'] => ({
      cluster: 'dev-cluster',
      period: 1,
      records: [{ bucket, node: node(n), storedBytes, readBytes: storedBytes / 2, requests: 10 }],
    })
    await execute(chain, charlie, { call: 'usage.report', args: usage('1', 1, 50_000_000) })
    await execute(chain, dave, { call: 'usage.report', args: usage('1', 2, 10_000_000) })
    await execute(chain, eve, { call: 'usage.report', args: usage('2', 3, 20_000_000) })
    assert.equal(q.usage('dev-cluster', 1).length, 3)

    const wrong = await signFor(chain, eve, { call: 'payouts.run', args: { cluster: 'dev-cluster', period: 1 } })
    assert.throws(() => chain.submit(wrong.bytes), { code: 'ERR_NOT_OWNER' })

    const ids = [signers.alice, charlie, dave, eve, ferdie].map((s) => s.accountId)
    const before = ids.map((id) => readAccount(chain.state, id))
    const treasury0 = readAccount(chain.state, chain.params.treasury).free
    const supply = issuance(chain)
    const run = await execute(chain, bob, { call: 'payouts.run', args: { cluster: 'dev-cluster', period: 1 } })
    const after = ids.map((id) => readAccount(chain.state, id))

    const p = await q.payout('dev-cluster', 1)
    const big = (s: string) => BigInt(s)
    assert.equal(p.lines.length, 3)
    assert.equal(big(p.totals.charged), big(p.totals.toProviders) + big(p.totals.toTreasury))
    assert.equal(big(p.totals.due), big(p.totals.charged) + big(p.totals.shortfall))
    for (const l of p.lines) assert.equal(big(l.charged), big(l.toProvider) + big(l.toTreasury))
    const ferdieLine = p.lines.find((l) => l.bucketId === '2')!
    assert.equal(ferdieLine.charged, '1000', 'a short deposit is charged what is left')
    assert.ok(big(ferdieLine.shortfall) > 0n)
    assert.equal(after[4]!.reserved, 0n)
    // Alice's deposit paid both her lines; each provider got exactly its share.
    const aliceCharged = p.lines.filter((l) => l.bucketId === '1').reduce((a, l) => a + big(l.charged), 0n)
    assert.equal(before[0]!.reserved - after[0]!.reserved, aliceCharged)
    for (const [i, n] of [
      [1, 1],
      [2, 2],
      [3, 3],
    ] as const) {
      const line = p.lines.find((l) => l.nodeId === nodeIdOf(node(n)))!
      assert.equal(after[i]!.free - before[i]!.free, big(line.toProvider))
    }
    assert.equal(readAccount(chain.state, chain.params.treasury).free - treasury0, big(p.totals.toTreasury) + run.fee)
    assert.equal(issuance(chain), supply, 'payouts move tokens, they do not create or burn them')
    assert.deepEqual(
      p.lines.map((l) => [l.bucketId, l.owner]),
      [
        ['1', signers.alice.address],
        ['1', signers.alice.address],
        ['2', ferdie.address],
      ],
    )
  })

  it('pays a period once: a second payout and late usage are refused and change nothing', async () => {
    const { chain, signers } = t
    const root = chain.best().header.stateRoot
    const again = await signFor(chain, signers.bob, {
      call: 'payouts.run',
      args: { cluster: 'dev-cluster', period: 1 },
    })
    assert.throws(() => chain.submit(again.bytes), { code: 'ERR_PERIOD_CLOSED' })
    const late = await signFor(chain, signers.charlie, {
      call: 'usage.report',
      args: {
        cluster: 'dev-cluster',
        period: 1,
        records: [{ bucket: '1', node: node(1), storedBytes: 1, readBytes: 1, requests: 1 }],
      },
    })
    assert.throws(() => chain.submit(late.bytes), { code: 'ERR_PERIOD_CLOSED' })
    const block = await chain.produceBlock()
    assert.deepEqual(block.header.stateRoot, root)
  })

  it('refuses usage for a node by someone who neither operates it nor manages the cluster', async () => {
    const { chain, signers } = t
    const tx = await signFor(chain, signers.ferdie, {
      call: 'usage.report',
      args: {
        cluster: 'dev-cluster',
        period: 2,
        records: [{ bucket: '1', node: node(1), storedBytes: 1, readBytes: 1, requests: 1 }],
      },
    })
    assert.throws(() => chain.submit(tx.bytes), { code: 'ERR_NOT_OWNER' })
  })
})
