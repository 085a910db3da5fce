import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Keyring } from '@polkadot/keyring'
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util'
import {
  createAccount,
  cryptoReady,
  extensionSigner,
  generateAccount,
  type SigScheme,
  SS58_CERE,
  toAccountId,
  toAddress,
  utf8,
  verifySignature,
} from './index.js'

const ALICE_SR = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'

describe('accounts and signers', () => {
  before(cryptoReady)

  it('loads //Alice with the well-known address and re-encodes it for Cere (prefix 54)', () => {
    const alice = createAccount({ uri: '//Alice' })
    assert.equal(alice.address, ALICE_SR)
    const cere = toAddress(alice.accountId, SS58_CERE)
    assert.notEqual(cere, ALICE_SR)
    assert.deepEqual(toAccountId(cere), alice.accountId)
    assert.throws(
      () => toAccountId('5Grwva-not-an-address'),
      (e: { code?: string }) => e.code === 'ERR_INVALID_ADDRESS',
    )
  })

  for (const scheme of ['sr25519', 'ed25519', 'ecdsa'] as SigScheme[]) {
    it(`signs <Bytes>-wrapped messages that verify (${scheme}) and fail when anything changes`, async () => {
      const { signer } = generateAccount(scheme)
      const other = generateAccount(scheme).signer
      const msg = utf8('ddc:v1:event:1:00')
      const sig = await signer.signRaw(msg)
      assert.ok(verifySignature(scheme, signer.accountId, msg, sig))
      assert.ok(!verifySignature(scheme, other.accountId, msg, sig), 'another account')
      assert.ok(!verifySignature(scheme, signer.accountId, utf8('ddc:v1:event:1:01'), sig), 'another message')
      const flipped = sig.slice()
      flipped[10]! ^= 1
      assert.ok(!verifySignature(scheme, signer.accountId, msg, flipped), 'flipped signature byte')
    })
  }

  it('refuses a signature over the bare, unwrapped message', () => {
    const pair = new Keyring({ type: 'ed25519' }).addFromUri('//Charlie')
    const msg = utf8('ddc:v1:event:1:00')
    assert.ok(!verifySignature('ed25519', pair.publicKey, msg, pair.sign(msg)))
    assert.ok(verifySignature('ed25519', pair.publicKey, msg, pair.sign(u8aWrapBytes(msg))))
  })

  it('refuses a signature presented under the wrong scheme', async () => {
    const ed = createAccount({ uri: '//Alice', scheme: 'ed25519' })
    const msg = utf8('hello')
    const sig = await ed.signRaw(msg)
    assert.ok(verifySignature('ed25519', ed.accountId, msg, sig))
    assert.ok(!verifySignature('sr25519', ed.accountId, msg, sig))
  })

  it('derives the same encryption seed for the same secret and never shows it in JSON', () => {
    const a = createAccount({ uri: '//Alice' })
    const b = createAccount({ uri: '//Alice' })
    assert.deepEqual(a.encryptionSeed, b.encryptionSeed)
    assert.notDeepEqual(a.encryptionSeed, createAccount({ uri: '//Bob' }).encryptionSeed)
    assert.ok(!JSON.stringify(a).includes('encryptionSeed'))
  })

  it('adapts a polkadot{.js}-style extension signRaw (wraps itself, returns a typed MultiSignature)', async () => {
    const keyring = new Keyring({ type: 'sr25519' })
    const pair = keyring.addFromUri('//Bob')
    let calls = 0
    // What the extension does: wrap the hex data in <Bytes> and sign withType (one prefix byte).
    const signRaw = async ({ data }: { address: string; data: string; type: 'bytes' }) => {
      calls++
      return { signature: u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(data)), { withType: true })) }
    }
    const signer = extensionSigner({ address: pair.address, scheme: 'sr25519', signRaw })
    const msg = utf8('ddc:v1:event:3:abcd')
    const sig = await signer.signRaw(msg)
    assert.equal(calls, 1)
    assert.equal(sig.length, 64)
    assert.ok(verifySignature('sr25519', signer.accountId, msg, sig))
  })

  it('refuses a wallet answer of the wrong length', async () => {
    const signer = extensionSigner({
      address: ALICE_SR,
      scheme: 'sr25519',
      signRaw: async () => ({ signature: u8aToHex(new Uint8Array(10)) }),
    })
    await assert.rejects(signer.signRaw(utf8('x')), (e: { code?: string }) => e.code === 'ERR_BAD_SIGNATURE')
  })

  it('refuses seeds of the wrong size and a missing secret', () => {
    assert.throws(
      () => createAccount({ seed: new Uint8Array(31) }),
      (e: { code?: string }) => e.code === 'ERR_INVALID_INPUT',
    )
    assert.throws(
      () => createAccount({}),
      (e: { code?: string }) => e.code === 'ERR_INVALID_INPUT',
    )
    const s = createAccount({ seed: `0x${'11'.repeat(32)}`, scheme: 'ed25519' })
    assert.equal(s.accountId.length, 32)
  })
})
