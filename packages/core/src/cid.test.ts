import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CID } from 'multiformats/cid'
import { sha256 as referenceSha256 } from 'multiformats/hashes/sha2'
import { cidOf, DAG_CBOR, decodeCid, encodeCanonical, parseCid, RAW, verifyBlock } from './index.js'

const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code

describe('CIDs', () => {
  it('are CIDv1 sha2-256 and agree with the multiformats reference hasher', async () => {
    const bytes = encodeCanonical({ hello: 'world' })
    const cid = cidOf(bytes)
    const reference = CID.createV1(DAG_CBOR, await referenceSha256.digest(bytes))
    assert.ok(cid.equals(reference))
    assert.equal(cid.toString().slice(0, 4), 'bafy')
    assert.equal(cidOf(bytes, RAW).code, RAW)
  })

  it('verify blocks and detect a flipped byte', () => {
    const bytes = encodeCanonical({ n: 42 })
    const cid = cidOf(bytes)
    verifyBlock(cid, bytes)
    const bad = bytes.slice()
    bad[3]! ^= 1
    assert.throws(() => verifyBlock(cid, bad), codeOf('ERR_CID_MISMATCH'))
  })

  it('refuse CIDs DDC does not use and strings that are not CIDs', () => {
    const v0 = CID.parse('QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n')
    assert.throws(() => verifyBlock(v0, new Uint8Array()), codeOf('ERR_CID_MISMATCH'))
    assert.throws(() => parseCid('not-a-cid'), codeOf('ERR_CID_MISMATCH'))
    const cid = cidOf(new Uint8Array([1]))
    assert.ok(parseCid(cid.toString()).equals(cid))
    assert.ok(parseCid(cid.bytes).equals(cid))
  })

  it('decodes bytes exactly as CID.decode does, fast path or not, and refuses what it refuses', () => {
    const v0 = CID.parse('QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n')
    for (const cid of [
      cidOf(new Uint8Array([1])),
      cidOf(new Uint8Array([2]), RAW),
      v0,
      CID.createV1(0x300001, v0.multihash),
    ]) {
      assert.deepEqual(decodeCid(cid.bytes), CID.decode(cid.bytes))
      // Over a Buffer the result still holds plain Uint8Arrays, as CID.decode's does.
      assert.deepEqual(decodeCid(Buffer.from(cid.bytes)), CID.decode(cid.bytes))
    }
    assert.throws(() => decodeCid(cidOf(new Uint8Array([1])).bytes.subarray(0, 35)))
  })
})
