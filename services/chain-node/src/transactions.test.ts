import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Call, decodeTx } from '@ddc/chain/dev'
import { bytesEqual, cidOf, encodeCanonical, generateAccount, type Signer, toHex, utf8 } from '@ddc/core'
import { execute, issuance, openTestChain, signFor } from './_test-chain.js'
import { readAccount, readRemark } from './ledger/model.js'

describe('dev chain transactions', () => {
  let t: Awaited<ReturnType<typeof openTestChain>>
  before(async () => {
    t = await openTestChain()
  })
  after(async () => t.cleanup())

  /** Submits bytes, expects the refusal code, and checks that the next block changes no state. */
  async function refused(bytes: Uint8Array, code: string) {
    const { chain, signers } = t
    const before = chain.best().header.stateRoot
    const aliceBefore = readAccount(chain.state, signers.alice.accountId)
    assert.throws(
      () => chain.submit(bytes),
      (err: Error & { code?: string }) => err.code === code,
    )
    const block = await chain.produceBlock()
    assert.equal(block.txs.length, 0)
    assert.ok(bytesEqual(block.header.stateRoot, before), `${code}: state root changed`)
    assert.deepEqual(readAccount(chain.state, signers.alice.accountId), aliceBefore)
  }
  const sign = (signer: Signer, call: Call, over = {}) => signFor(t.chain, signer, call, over)
  const transfer = (to: Uint8Array, amount: bigint): Call => ({ call: 'balances.transfer', args: { to, amount } })

  it('applies a valid transfer: nonce, fee to the treasury, amount to the receiver, new state root', async () => {
    const { chain, signers } = t
    const rootBefore = chain.best().header.stateRoot
    const supply = issuance(chain)
    const bob0 = readAccount(chain.state, signers.bob.accountId).free
    const accepted = await execute(chain, signers.alice, transfer(signers.bob.accountId, 1234n))
    assert.equal(readAccount(chain.state, signers.alice.accountId).nonce, 1)
    assert.equal(readAccount(chain.state, signers.bob.accountId).free, bob0 + 1234n)
    assert.ok(accepted.fee > 0n)
    assert.ok(!bytesEqual(chain.best().header.stateRoot, rootBefore))
    assert.equal(issuance(chain), supply, 'fees move tokens, they do not burn them')
  })

  it('refuses a tampered signature and a signature by another key', async () => {
    const { alice, bob } = t.signers
    const tx = await sign(alice, transfer(bob.accountId, 1n))
    const sig = tx.sig.slice()
    sig[0]! ^= 1
    await refused(encodeCanonical({ payload: tx.payload, sig }), 'ERR_BAD_SIGNATURE')
    const impostor: Signer = { ...alice, address: bob.address, accountId: bob.accountId, signRaw: alice.signRaw }
    await refused((await sign(impostor, transfer(alice.accountId, 1n), { nonce: 0 })).bytes, 'ERR_BAD_SIGNATURE')
  })

  it('refuses a wrong nonce and a replayed transaction', async () => {
    const { alice, bob } = t.signers
    await refused((await sign(alice, transfer(bob.accountId, 1n), { nonce: 9 })).bytes, 'ERR_BAD_NONCE')
    const tx = await sign(alice, transfer(bob.accountId, 1n))
    t.chain.submit(tx.bytes)
    await t.chain.produceBlock()
    await refused(tx.bytes, 'ERR_BAD_NONCE')
  })

  it('refuses what the sender cannot pay: the fee, or the amount on top of it', async () => {
    const { alice, bob } = t.signers
    const pauper = generateAccount().signer
    await refused((await sign(pauper, transfer(bob.accountId, 1n))).bytes, 'ERR_INSUFFICIENT_BALANCE')
    const all = readAccount(t.chain.state, alice.accountId).free
    await refused((await sign(alice, transfer(bob.accountId, all))).bytes, 'ERR_INSUFFICIENT_BALANCE')
  })

  it('refuses an unknown bucket and a bucket change by someone other than its owner', async () => {
    const { alice, bob } = t.signers
    const update = (bucket: string): Call => ({ call: 'buckets.update', args: { bucket, isPublic: true } })
    await refused((await sign(alice, update('999'))).bytes, 'ERR_UNKNOWN_BUCKET')
    await refused((await sign(bob, update('1'))).bytes, 'ERR_NOT_OWNER')
  })

  it('refuses an unknown call, bad arguments, an expired era, another chain and garbage', async () => {
    const { alice, bob } = t.signers
    const mint = { call: 'balances.mint', args: { amount: 1n } } as unknown as Call
    await refused((await sign(alice, mint)).bytes, 'ERR_UNKNOWN_CALL')
    const bad = { call: 'balances.transfer', args: { to: bob.accountId, amount: -5 } } as unknown as Call
    await refused((await sign(alice, bad)).bytes, 'ERR_INVALID_INPUT')
    const extra = { call: 'balances.transfer', args: { to: bob.accountId, amount: 1n, memo: 'x' } } as unknown as Call
    await refused((await sign(alice, extra)).bytes, 'ERR_INVALID_INPUT')
    const best = t.chain.best().header.number
    await refused((await sign(alice, transfer(bob.accountId, 1n), { validUntil: best })).bytes, 'ERR_TX_EXPIRED')
    const other = cidOf(utf8('another chain')).multihash.digest
    await refused((await sign(alice, transfer(bob.accountId, 1n), { genesisHash: other })).bytes, 'ERR_WRONG_CHAIN')
    await refused(utf8('not a transaction'), 'ERR_NON_CANONICAL')
  })

  it('refuses a remark whose transfer cannot be paid: neither the remark nor the transfer lands', async () => {
    const { chain, signers } = t
    const cid = cidOf(encodeCanonical({ event: 'payment', n: 1 }))
    const free = readAccount(chain.state, signers.alice.accountId).free
    const call: Call = { call: 'remarks.submit', args: { cid, transfer: { to: signers.bob.accountId, amount: free } } }
    await refused((await sign(signers.alice, call)).bytes, 'ERR_INSUFFICIENT_BALANCE')
    assert.equal(readRemark(chain.state, cid), undefined)
    const ok: Call = { call: 'remarks.submit', args: { cid, transfer: { to: signers.bob.accountId, amount: 77n } } }
    const bob0 = readAccount(chain.state, signers.bob.accountId).free
    await execute(chain, signers.alice, ok)
    assert.equal(readRemark(chain.state, cid, 'committed')?.transfer?.amount, 77n)
    assert.equal(readAccount(chain.state, signers.bob.accountId).free, bob0 + 77n)
    await refused((await sign(signers.alice, { call: 'remarks.submit', args: { cid } })).bytes, 'ERR_ALREADY_EXISTS')
  })

  it('keeps transactions accepted for the next block out of committed reads until it is written', async () => {
    const { chain, signers } = t
    const tx = await sign(signers.alice, transfer(signers.charlie.accountId, 5n))
    const before = readAccount(chain.state, signers.charlie.accountId, 'committed').free
    chain.submit(tx.bytes)
    assert.equal(readAccount(chain.state, signers.charlie.accountId, 'committed').free, before)
    assert.equal((await chain.tx(tx.hash))?.status, 'pending')
    const block = await chain.produceBlock()
    assert.deepEqual(block.txs, [tx.hash])
    assert.equal(readAccount(chain.state, signers.charlie.accountId, 'committed').free, before + 5n)
    const stored = await chain.tx(tx.hash)
    assert.equal(stored?.status, 'finalized')
    assert.equal(decodeTx(stored.status === 'finalized' ? stored.stored.bytes : new Uint8Array()).hash, tx.hash)
    assert.equal(toHex(block.hash).length, 66)
  })
})
