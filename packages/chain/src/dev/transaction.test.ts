import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  cidOf,
  createAccount,
  cryptoReady,
  encodeCanonical,
  extensionSigner,
  type LocalSigner,
  toHex,
  utf8,
} from '@ddc/core'
import { Keyring } from '@polkadot/api'
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util'
import { decodeTx, signTx, txSigningMessage, verifyTxSignature } from './transaction.js'

const genesisHash = cidOf(utf8('genesis')).multihash.digest

describe('dev chain transactions', () => {
  let alice: LocalSigner
  let bob: LocalSigner
  before(async () => {
    await cryptoReady()
    alice = createAccount({ uri: '//Alice' })
    bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
  })

  it('signs the payload CID as domain-separated text and decodes back to the same transaction', async () => {
    const tx = await signTx(
      alice,
      { call: 'balances.transfer', args: { to: bob.accountId, amount: 10n ** 18n } },
      { genesisHash, nonce: 3, validUntil: 99, tip: 5n },
    )
    const message = new TextDecoder().decode(txSigningMessage(tx.payload))
    assert.match(message, /^ddc:v1:tx:bafyrei[a-z2-7]+$/)
    const back = decodeTx(tx.bytes)
    assert.equal(back.hash, tx.hash)
    assert.deepEqual(back.payload, tx.payload)
    verifyTxSignature(back)
    assert.equal(back.payload.args.amount, 10n ** 18n)
  })

  it('accepts ed25519 senders and signatures made by a wallet extension through signRaw', async () => {
    const pair = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie')
    const wallet = extensionSigner({
      address: pair.address,
      scheme: 'sr25519',
      // What an extension does for {type: 'bytes'}: wrap in <Bytes>, sign, answer a hex signature.
      signRaw: async ({ data }) => ({ signature: u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(data)))) }),
    })
    for (const signer of [bob, wallet]) {
      const tx = await signTx(
        signer,
        { call: 'deposits.add', args: { amount: 1n } },
        { genesisHash, nonce: 0, validUntil: 1 },
      )
      verifyTxSignature(decodeTx(tx.bytes))
    }
  })

  it('refuses tampered, non-canonical and malformed transactions', async () => {
    const tx = await signTx(
      alice,
      { call: 'deposits.add', args: { amount: 7n } },
      { genesisHash, nonce: 0, validUntil: 1 },
    )
    const forged = encodeCanonical({ payload: { ...tx.payload, nonce: 1 }, sig: tx.sig })
    assert.throws(() => verifyTxSignature(decodeTx(forged)), { code: 'ERR_BAD_SIGNATURE' })
    const extraField = encodeCanonical({ payload: { ...tx.payload, memo: 'x' }, sig: tx.sig })
    assert.throws(() => decodeTx(extraField), { code: 'ERR_INVALID_INPUT' })
    const nonCanonical = new Uint8Array([...tx.bytes.subarray(0, tx.bytes.length), 0])
    assert.throws(() => decodeTx(nonCanonical), { code: 'ERR_NON_CANONICAL' })
    assert.throws(() => decodeTx(encodeCanonical({ payload: tx.payload })), { code: 'ERR_INVALID_INPUT' })
    assert.equal(toHex(decodeTx(tx.bytes).payload.chain), toHex(genesisHash))
  })
})
