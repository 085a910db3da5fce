import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { priceOf, settle } from './accounting.js'

const pricing = { perMbStored: 1_000_000n, perMbRead: 500_000n, perRequest: 100n, treasuryShare: 100_000 }

describe('data-operation accounting', () => {
  it('prices stored and read bytes per 10^6 bytes and requests one by one', () => {
    assert.equal(priceOf({ storedBytes: 2_000_000, readBytes: 1_000_000, requests: 3 }, pricing), 2_500_300n)
    assert.equal(priceOf({ storedBytes: 999_999, readBytes: 0, requests: 0 }, pricing), 999_999n)
    assert.equal(priceOf({ storedBytes: 0, readBytes: 0, requests: 0 }, pricing), 0n)
  })

  it('balances every settlement to the token, whatever the deposit', () => {
    for (const [due, deposit, share] of [
      [1000n, 5000n, 100_000],
      [1000n, 300n, 100_000],
      [7n, 7n, 333_333],
      [1n, 0n, 0],
      [123_456_789n, 10n ** 20n, 1_000_000],
    ] as const) {
      const s = settle(due, deposit, share)
      assert.equal(s.charged + s.shortfall, due)
      assert.equal(s.toProvider + s.toTreasury, s.charged)
      assert.ok(s.charged <= deposit && s.toProvider >= 0n && s.toTreasury >= 0n)
    }
    assert.deepEqual(settle(1000n, 300n, 100_000), {
      charged: 300n,
      shortfall: 700n,
      toProvider: 270n,
      toTreasury: 30n,
    })
  })
})
