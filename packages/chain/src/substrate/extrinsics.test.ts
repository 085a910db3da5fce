import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { cidOf, cryptoReady, encodeCanonical, toAccountId, utf8 } from '@ddc/core'
import { Metadata, TypeRegistry } from '@polkadot/types'
import type { Extrinsic, RuntimeVersion } from '@polkadot/types/interfaces'
import { expandMetadata } from '@polkadot/types/metadata'
import type { IKeyringPair } from '@polkadot/types/types'
import staticMetadata, { version } from '@polkadot/types-support/metadata/static-substrate'
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto'
import { anchorCall, type CallModules, cidRemarkCall, ddcRecordsInCall } from './calls.js'
import { substrateKeypair } from './signer.js'

// Real metadata of a Substrate node (recorded in @polkadot/types-support), decorated offline: the
// calls are built by the same functions the adapter uses on a live `api.tx`.
const registry = new TypeRegistry()
const metadata = new Metadata(registry, staticMetadata)
registry.setMetadata(metadata)
const tx = expandMetadata(registry, metadata).tx as unknown as CallModules<{ toHex(): string }>
const genesisHash = `0x${'ab'.repeat(32)}`
const blockHash = `0x${'cd'.repeat(32)}`

function sign(call: { toHex(): string }, pair: IKeyringPair, nonce: number): string {
  const ext = registry.createType('Extrinsic', call)
  ext.sign(pair, {
    blockHash,
    genesisHash,
    nonce,
    tip: 0,
    era: registry.createType('ExtrinsicEra', { current: 1000, period: 64 }),
    runtimeVersion: registry.createType<RuntimeVersion>('RuntimeVersion', version),
    signedExtensions: registry.signedExtensions,
  })
  return ext.toHex()
}

/** Verifies the signature the way a node does: over the SCALE signing payload (hashed when > 256 bytes). */
function signatureValid(ext: Extrinsic): boolean {
  const payload = registry.createType(
    'ExtrinsicPayload',
    {
      method: ext.method.toHex(),
      era: ext.era,
      nonce: ext.nonce,
      tip: ext.tip,
      specVersion: version.specVersion,
      transactionVersion: version.transactionVersion,
      genesisHash,
      blockHash,
    },
    { version: ext.type },
  )
  const bytes = payload.toU8a({ method: true })
  return signatureVerify(bytes.length > 256 ? blake2AsU8a(bytes) : bytes, ext.signature.toU8a(), ext.signer.toString())
    .isValid
}

describe('Substrate extrinsics from real metadata', () => {
  let alice: IKeyringPair
  let bob: IKeyringPair
  before(async () => {
    await cryptoReady()
    alice = substrateKeypair('//Alice')
    bob = substrateKeypair('//Bob')
  })

  it('signs an anchor as system.remarkWithEvent and decodes it back: call, remark, signer, nonce, era, signature', () => {
    const root = cidOf(encodeCanonical({ heads: [1, 2, 3] }))
    const hex = sign(anchorCall(tx, { root, count: 3, period: 28_000_000 }), alice, 7)
    const ext = registry.createType('Extrinsic', hex)
    assert.equal(ext.isSigned, true)
    assert.equal(`${ext.method.section}.${ext.method.method}`, 'system.remarkWithEvent')
    assert.equal(new TextDecoder().decode(ext.method.args[0]!.toU8a(true)), `ddc:anchor:v1:${root}:3:28000000`)
    assert.equal(ext.signer.toString(), alice.address)
    assert.equal(ext.nonce.toNumber(), 7)
    assert.ok(ext.era.isMortalEra)
    assert.equal(signatureValid(ext), true)
    const [found] = ddcRecordsInCall(ext.method)
    assert.equal(found?.remark.type, 'anchor')
    assert.ok(found?.remark.type === 'anchor' && found.remark.anchor.root.equals(root))
  })

  it('signs an event CID with its payment as one utility.batchAll and finds both in the decoded call', () => {
    const cid = cidOf(encodeCanonical({ type: 'nft.transfer', token: 42 }))
    const hex = sign(cidRemarkCall(tx, cid, { to: bob.publicKey, amount: 5_000_000_000_000n }), alice, 0)
    const ext = registry.createType('Extrinsic', hex)
    assert.equal(`${ext.method.section}.${ext.method.method}`, 'utility.batchAll')
    const inner = ext.method.args[0] as unknown as { section: string; method: string }[]
    assert.deepEqual(
      inner.map((c) => `${c.section}.${c.method}`),
      ['system.remarkWithEvent', 'balances.transferKeepAlive'],
    )
    assert.equal(signatureValid(ext), true)
    const [found] = ddcRecordsInCall(ext.method)
    assert.ok(found?.remark.type === 'cid' && found.remark.cid.equals(cid))
    assert.deepEqual(found?.transfer, { to: toAccountId(bob.address), amount: 5_000_000_000_000n })
  })

  it('detects tampering: the same bytes with one character of the CID changed fail the signature', () => {
    const cid = cidOf(utf8('agreed to terms v3'), 0x55)
    const hex = sign(cidRemarkCall(tx, cid), bob, 3)
    assert.equal(signatureValid(registry.createType('Extrinsic', hex)), true)
    const text = Buffer.from(cid.toString()).toString('hex')
    const changed = Buffer.from(`${cid.toString().slice(0, -1)}${cid.toString().endsWith('a') ? 'b' : 'a'}`).toString(
      'hex',
    )
    const tampered = registry.createType('Extrinsic', hex.replace(text, changed))
    assert.equal(tampered.method.method, 'remarkWithEvent')
    assert.equal(signatureValid(tampered), false)
  })

  it('ignores remarks that are not DDC remarks, and refuses to read a malformed DDC remark as a record', () => {
    const plain = registry.createType('Extrinsic', sign(tx.system.remarkWithEvent('hello world'), alice, 1))
    assert.deepEqual(ddcRecordsInCall(plain.method), [])
    const broken = registry.createType('Extrinsic', sign(tx.system.remarkWithEvent('ddc:anchor:v1:nope:3'), alice, 2))
    assert.deepEqual(ddcRecordsInCall(broken.method), [])
  })
})
