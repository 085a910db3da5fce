import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  cidOf,
  createAccount,
  cryptoReady,
  decodeEnvelope,
  decodeSignedEvent,
  type Envelope,
  type EventDraft,
  encodeCanonical,
  encodeEnvelope,
  envelopeFromJson,
  envelopeToJson,
  type LocalSigner,
  linkEvents,
  SealVerifier,
  type SignedEvent,
  sealedMessage,
  sealFromJson,
  sealToJson,
  signEvents,
  verifyEvent,
  verifyLink,
} from './index.js'

const codeOf =
  (...codes: string[]) =>
  (err: unknown) =>
    codes.includes((err as { code?: string }).code ?? '')

let alice: LocalSigner
let bob: LocalSigner
const draft = (owner: LocalSigner, i: number, extra: Partial<EventDraft> = {}): EventDraft => ({
  bucket: 'demo',
  owner: owner.accountId,
  id: `evt-${i}`,
  type: 'page.view',
  ts: 1_700_000_000_000 + i,
  pub: { i },
  ...extra,
})

async function batch(owner: LocalSigner, n: number, ts = 0): Promise<SignedEvent[]> {
  return signEvents(
    owner,
    linkEvents(
      null,
      Array.from({ length: n }, (_, i) => draft(owner, i, { ts: ts + i })),
    ),
  )
}

describe('event envelopes and batch seals', () => {
  before(async () => {
    await cryptoReady()
    alice = createAccount({ uri: '//Alice' })
    bob = createAccount({ uri: '//Bob' })
  })

  it('links a batch (seq, prev) and verifies every event with one signature check', async () => {
    const events = await batch(alice, 100)
    const verifier = new SealVerifier()
    for (const ev of events) verifyEvent(ev, verifier)
    assert.equal(verifier.verifications, 1)
    const { scheme, sig, n } = events[0]!.seal
    const message = sealedMessage('event', events[0]!.cid, events[0]!.seal)
    assert.ok(verifier.has(scheme, alice.accountId, message, sig), 'the verified batch root is remembered')
    assert.ok(!verifier.has(scheme, bob.accountId, message, sig), 'under its signer only')
    assert.equal(n, 100)
    verifyLink(null, events[0]!.envelope)
    for (let i = 1; i < events.length; i++) verifyLink(events[i - 1]!, events[i]!.envelope)
    assert.equal(events[99]!.seal.n, 100)
  })

  it('verifies one event taken out of its batch, alone, from its bytes and seal', async () => {
    const events = await batch(alice, 7)
    const ev = events[5]!
    const sealJson = JSON.parse(JSON.stringify(sealToJson(ev.seal)))
    const back = decodeSignedEvent(ev.bytes.slice(), sealFromJson(sealJson))
    verifyEvent(back)
    assert.ok(back.cid.equals(ev.cid))
    assert.equal(back.envelope.seq, 5)
  })

  it('detects a flipped byte anywhere in any event of a batch', async () => {
    const events = await batch(alice, 5)
    for (const ev of events) {
      for (let pos = 0; pos < ev.bytes.length; pos += 7) {
        const bytes = ev.bytes.slice()
        bytes[pos]! ^= 0x01
        let decoded: { envelope: Envelope; cid: ReturnType<typeof cidOf> }
        try {
          decoded = decodeEnvelope(bytes)
        } catch {
          continue // refused at decode: also a detection
        }
        assert.throws(() => verifyEvent({ ...decoded, seal: ev.seal }), codeOf('ERR_BAD_SIGNATURE', 'ERR_BAD_PROOF'))
      }
    }
  })

  it('refuses a wrong or truncated path, a path from another batch, and another signer', async () => {
    const [a, b] = [await batch(alice, 4), await batch(alice, 4, 99)]
    const ev = a[1]!
    assert.throws(
      () => verifyEvent({ ...ev, seal: { ...ev.seal, path: ev.seal.path.slice(1) } }),
      codeOf('ERR_BAD_PROOF'),
    )
    assert.throws(
      () => verifyEvent({ ...ev, seal: { ...ev.seal, path: [...ev.seal.path].reverse() } }),
      codeOf('ERR_BAD_SIGNATURE'),
    )
    assert.throws(() => verifyEvent({ ...ev, seal: b[1]!.seal }), codeOf('ERR_BAD_SIGNATURE'))
    const byBob = await signEvents(bob, linkEvents(null, [draft(bob, 0)]))
    assert.throws(
      () => verifyEvent({ ...ev, seal: { ...byBob[0]!.seal, n: 4, i: 1, path: ev.seal.path } }),
      codeOf('ERR_BAD_SIGNATURE'),
    )
  })

  it('refuses an event presented at another position of its batch', async () => {
    const events = await batch(alice, 4)
    const ev = events[2]!
    assert.throws(
      () => verifyEvent({ ...ev, seal: { ...ev.seal, i: 1 } }),
      codeOf('ERR_BAD_SIGNATURE', 'ERR_BAD_PROOF'),
    )
    // Same path, claimed tree size 5: the root is the same but the signed message names the size.
    assert.throws(
      () => verifyEvent({ ...ev, seal: { ...ev.seal, n: 5 } }),
      codeOf('ERR_BAD_SIGNATURE', 'ERR_BAD_PROOF'),
    )
  })

  it('refuses an event moved to another timeline or position (links break)', async () => {
    const events = await batch(alice, 3)
    assert.throws(() => verifyLink(events[0]!, events[2]!.envelope), codeOf('ERR_BAD_LINK'))
    const other = await batch(bob, 2)
    assert.throws(() => verifyLink(events[0]!, other[1]!.envelope), codeOf('ERR_BAD_LINK'))
    assert.throws(() => verifyLink(null, events[1]!.envelope), codeOf('ERR_BAD_LINK'))
  })

  it('refuses signing an event that names another signer', async () => {
    await assert.rejects(signEvents(bob, linkEvents(null, [draft(alice, 0)])), codeOf('ERR_INVALID_INPUT'))
  })

  it('round-trips the JSON view (SS58 addresses, CID strings)', async () => {
    const [ev] = await batch(alice, 1)
    const json = envelopeToJson(ev!.envelope)
    assert.equal(json.owner, alice.address)
    const back = encodeEnvelope(envelopeFromJson(JSON.parse(JSON.stringify(json))))
    assert.ok(back.cid.equals(ev!.cid))
    const seal = sealFromJson(JSON.parse(JSON.stringify(sealToJson(ev!.seal))))
    verifyEvent({ ...ev!, seal })
  })

  it('refuses unknown versions, unknown fields, broken genesis links and delegates without capability', () => {
    const base = { v: 1, bucket: 'b', owner: alice.accountId, seq: 0, prev: null, id: 'x', type: 't', ts: 1 }
    const enc = (v: unknown) => encodeCanonical(v)
    assert.throws(() => decodeEnvelope(enc({ ...base, v: 2 })), codeOf('ERR_UNSUPPORTED_VERSION'))
    assert.throws(() => decodeEnvelope(enc({ ...base, extra: 1 })), codeOf('ERR_INVALID_INPUT'))
    assert.throws(() => decodeEnvelope(enc({ ...base, seq: 1 })), codeOf('ERR_BAD_LINK'))
    assert.throws(() => decodeEnvelope(enc({ ...base, signer: bob.accountId })), codeOf('ERR_INVALID_INPUT'))
    assert.throws(() => decodeEnvelope(enc({ ...base, owner: new Uint8Array(31) })), codeOf('ERR_INVALID_ADDRESS'))
    assert.throws(() => decodeEnvelope(enc({ ...base, id: 'has space' })), codeOf('ERR_INVALID_INPUT'))
    assert.throws(() => decodeEnvelope(enc({ ...base, scopes: { p: { epoch: 0 } } })), codeOf('ERR_INVALID_INPUT'))
    const ok = decodeEnvelope(enc(base))
    assert.equal(ok.envelope.seq, 0)
  })

  it('accepts a delegate signer that names its capability', async () => {
    const cap = cidOf(encodeCanonical({ cap: 1 }))
    const items = linkEvents(null, [draft(alice, 0, { signer: bob.accountId, cap })])
    const [ev] = await signEvents(bob, items)
    verifyEvent(ev!)
    assert.throws(
      () => verifyEvent({ ...ev!, envelope: { ...ev!.envelope, signer: undefined } }),
      codeOf('ERR_BAD_SIGNATURE'),
    )
  })
})
