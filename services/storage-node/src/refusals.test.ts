/**
 * Bad input of every kind is refused with a 4xx and a stable code, leaves nothing behind (the
 * store's keys are counted before and after) and does not stop the node from serving.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  cidOf,
  delegateCapability,
  encodeCanonical,
  encodeEnvelope,
  issueCapability,
  sealBatch,
  signEvents,
} from '@ddc/core'
import {
  buildEvents,
  carAppend,
  cborAppend,
  type FixtureEvent,
  headOf,
  jsonAppend,
  startTestNode,
  type TestNode,
} from './fixtures.js'
import type { LevelStore } from './store/level.js'

const CBOR = 'application/vnd.ipld.dag-cbor'
let t: TestNode
let head: FixtureEvent[]

/** Keys per table, except usage counters (which count refused requests too). */
async function fingerprint(): Promise<string> {
  const counts = new Map<number, number>()
  for await (const k of (t.node.store as LevelStore).db.keys()) {
    if (k[0] === 0x55) continue
    counts.set(k[0]!, (counts.get(k[0]!) ?? 0) + 1)
  }
  return JSON.stringify([...counts].sort())
}

type Res = Awaited<ReturnType<TestNode['app']['inject']>>

async function refused(send: () => Promise<Res>, status: number, codes: string[]): Promise<Res> {
  const before = await fingerprint()
  const res = await send()
  assert.equal(res.statusCode, status, res.body)
  assert.ok(codes.includes(res.json().code), `code ${res.json().code} is one of ${codes}`)
  assert.equal(await fingerprint(), before, 'nothing of the request was stored')
  return res
}

const cbor = (body: Uint8Array) => () =>
  t.app.inject({ method: 'POST', url: '/events', payload: Buffer.from(body), headers: { 'content-type': CBOR } })
const json =
  (body: unknown, contentType = 'application/json') =>
  () =>
    t.app.inject({
      method: 'POST',
      url: '/events',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': contentType },
    })

before(async () => {
  t = await startTestNode({ bodyLimit: 256 * 1024, maxEventsPerRequest: 50 })
  head = await buildEvents(t.alice, { bucket: 'pub', head: null, count: 2 })
  assert.equal((await cbor(cborAppend(head))()).statusCode, 200)
})
after(() => t.close())

/** A fresh batch of `n` events after alice's head, one signature. */
const next = (n = 5) => buildEvents(t.alice, { bucket: 'pub', head: headOf(head), count: n })

describe('refusals: malformed bodies', () => {
  it('refuses malformed JSON and JSON of the wrong shape', async () => {
    await refused(json('{"events": ['), 400, ['ERR_INVALID_INPUT'])
    await refused(json({ events: [{ envelope: 'not base64!', seal: {} }] }), 400, ['ERR_INVALID_INPUT'])
    await refused(json({ events: [] }), 400, ['ERR_INVALID_INPUT'])
    const evs = await next(1)
    const j = jsonAppend(evs)
    j.events[0]!.envelope = `${j.events[0]!.envelope.slice(0, -4)}AAAA`
    await refused(json(j), 400, ['ERR_NON_CANONICAL', 'ERR_INVALID_INPUT'])
  })

  it('refuses malformed CBOR, trailing bytes, unknown fields and other media types', async () => {
    const good = cborAppend(await next(2))
    await refused(cbor(new Uint8Array([0x9f, 0x01])), 400, ['ERR_INVALID_INPUT'])
    await refused(cbor(good.subarray(0, good.length - 7)), 400, ['ERR_INVALID_INPUT'])
    await refused(cbor(new Uint8Array([...good, 0x00])), 400, ['ERR_INVALID_INPUT'])
    await refused(cbor(encodeCanonical([{ env: new Uint8Array(3), seal: {}, extra: 1 }])), 400, ['ERR_INVALID_INPUT'])
    await refused(cbor(encodeCanonical({ nothing: [] })), 400, ['ERR_INVALID_INPUT'])
    await refused(
      () => t.app.inject({ method: 'POST', url: '/events', payload: 'x', headers: { 'content-type': 'text/plain' } }),
      415,
      ['ERR_UNSUPPORTED_MEDIA_TYPE'],
    )
    await refused(
      () =>
        t.app.inject({
          method: 'POST',
          url: '/events',
          payload: Buffer.from('not a car'),
          headers: { 'content-type': 'application/vnd.ipld.car' },
        }),
      400,
      ['ERR_INVALID_INPUT'],
    )
  })

  it('refuses oversize bodies and too many events', async () => {
    await refused(cbor(new Uint8Array(300 * 1024)), 413, ['ERR_TOO_LARGE'])
    const many = await buildEvents(t.alice, { bucket: 'pub', head: headOf(head), count: 51, noBody: true })
    await refused(cbor(cborAppend(many)), 413, ['ERR_TOO_LARGE'])
  })
})

describe('refusals: envelopes and blocks', () => {
  it('refuses a non-canonical envelope (non-minimal integer) and an unknown version', async () => {
    const [ev] = await next(1)
    const at = Buffer.from(ev!.bytes).indexOf(Buffer.from([0x61, 0x76, 0x01]))
    assert.ok(at >= 0)
    const loose = new Uint8Array([...ev!.bytes.subarray(0, at + 2), 0x18, 0x01, ...ev!.bytes.subarray(at + 3)])
    await refused(cbor(encodeCanonical([{ env: loose, seal: ev!.seal, body: ev!.body! }])), 400, ['ERR_NON_CANONICAL'])
    const v2 = encodeCanonical({
      ...Object.fromEntries(Object.entries(ev!.envelope).filter(([, v]) => v !== undefined)),
      v: 2,
    })
    await refused(cbor(encodeCanonical([{ env: v2, seal: ev!.seal, body: ev!.body! }])), 400, [
      'ERR_UNSUPPORTED_VERSION',
    ])
  })

  it('refuses a body that does not match envelope.body, a missing body and a CAR that lies about a CID', async () => {
    const evs = await next(3)
    const swapped = evs.map((e, k) => ({ ...e, body: evs[(k + 1) % 3]!.body! }))
    await refused(cbor(cborAppend(swapped)), 400, ['ERR_CID_MISMATCH'])
    const missing = evs.map((e) => ({ ...e, body: undefined }))
    await refused(cbor(cborAppend(missing)), 400, ['ERR_INVALID_INPUT'])
    const lying = [{ ...evs[0]!, cid: cidOf(evs[1]!.bytes), bytes: evs[0]!.bytes }]
    await refused(
      async () =>
        t.app.inject({
          method: 'POST',
          url: '/events',
          payload: Buffer.from(await carAppend(lying)),
          headers: { 'content-type': 'application/vnd.ipld.car' },
        }),
      400,
      ['ERR_CID_MISMATCH'],
    )
  })
})

describe('refusals: signatures and batch paths', () => {
  it('refuses a forged signature and a signature of the wrong scheme', async () => {
    const evs = await next(3)
    const forged = evs.map((e) => ({ ...e, seal: { ...e.seal, sig: e.seal.sig.map((b, k) => (k === 5 ? b ^ 1 : b)) } }))
    await refused(cbor(cborAppend(forged)), 400, ['ERR_BAD_SIGNATURE'])
    const ed = evs.map((e) => ({ ...e, seal: { ...e.seal, scheme: 'ed25519' as const } }))
    await refused(cbor(cborAppend(ed)), 400, ['ERR_BAD_SIGNATURE'])
    const rsa = evs.map((e) => ({ ...e, seal: { ...e.seal, scheme: 'rsa' as never } }))
    await refused(cbor(cborAppend(rsa)), 400, ['ERR_BAD_SIGNATURE'])
  })

  it('refuses a flipped byte in any event of a batch', async () => {
    const evs = await next(6)
    for (let k = 0; k < evs.length; k++) {
      for (const field of ['env', 'body'] as const) {
        const tampered = evs.map((e, j) => {
          if (j !== k) return e
          const bytes = field === 'env' ? new Uint8Array(e.bytes) : new Uint8Array(e.body!)
          bytes[Math.floor(bytes.length / 2)]! ^= 0x40
          return field === 'env' ? { ...e, bytes } : { ...e, body: bytes }
        })
        await refused(cbor(cborAppend(tampered)), 400, [
          'ERR_BAD_SIGNATURE',
          'ERR_NON_CANONICAL',
          'ERR_INVALID_INPUT',
          'ERR_CID_MISMATCH',
          'ERR_INVALID_ADDRESS',
          'ERR_BAD_LINK',
          'ERR_BAD_PROOF',
        ])
      }
    }
  })

  it('refuses a wrong or truncated Merkle path and a path from another batch', async () => {
    const evs = await next(8)
    const wrong = evs.map((e, k) =>
      k === 3 ? { ...e, seal: { ...e.seal, path: e.seal.path.map((p, j) => (j === 1 ? p.map((b) => b ^ 2) : p)) } } : e,
    )
    await refused(cbor(cborAppend(wrong)), 400, ['ERR_BAD_PROOF', 'ERR_BAD_SIGNATURE'])
    const alone = [{ ...evs[0]!, seal: { ...evs[0]!.seal, path: evs[0]!.seal.path.map((p) => p.map((b) => b ^ 1)) } }]
    await refused(cbor(cborAppend(alone)), 400, ['ERR_BAD_SIGNATURE'])
    const truncated = evs.map((e, k) => (k === 2 ? { ...e, seal: { ...e.seal, path: e.seal.path.slice(1) } } : e))
    await refused(cbor(cborAppend(truncated)), 400, ['ERR_BAD_PROOF'])
    const other = await next(8)
    const mixed = evs.map((e, k) => (k === 4 ? { ...e, seal: { ...e.seal, path: other[4]!.seal.path } } : e))
    await refused(cbor(cborAppend(mixed)), 400, ['ERR_BAD_PROOF', 'ERR_BAD_SIGNATURE'])
    const otherSeal = evs.map((e, k) => (k === 4 ? { ...e, seal: other[4]!.seal } : e))
    await refused(cbor(cborAppend(otherSeal)), 400, ['ERR_BAD_SIGNATURE'])
  })

  it('refuses a batch root signed by another key', async () => {
    const evs = await next(4)
    const seals = await sealBatch(
      t.mallory,
      'event',
      evs.map((e) => e.cid),
    )
    await refused(cbor(cborAppend(evs.map((e, k) => ({ ...e, seal: seals[k]! })))), 400, ['ERR_BAD_SIGNATURE'])
  })

  it('refuses an event moved to another timeline or position', async () => {
    const evs = await next(3)
    // Another owner in the envelope: a different CID, so alice's signature no longer covers it.
    const moved = encodeEnvelope({ ...evs[0]!.envelope, owner: t.bob.accountId })
    await refused(cbor(encodeCanonical([{ env: moved.bytes, seal: evs[0]!.seal, body: evs[0]!.body! }])), 400, [
      'ERR_BAD_SIGNATURE',
    ])
    // Reordered within the request.
    await refused(cbor(cborAppend([evs[1]!, evs[0]!, evs[2]!])), 400, ['ERR_BAD_LINK'])
    await refused(cbor(cborAppend([evs[0]!, evs[2]!])), 400, ['ERR_BAD_LINK'])
    // A valid event sent where the timeline is not: after a head it does not follow.
    await refused(cbor(cborAppend(evs.slice(1))), 409, ['ERR_CONFLICT'])
    // A valid event of alice's timeline sent with a signature of bob's batch.
    const bobs = await buildEvents(t.bob, { bucket: 'pub', head: null, count: 1 })
    await refused(cbor(cborAppend([{ ...evs[0]!, seal: bobs[0]!.seal }])), 400, ['ERR_BAD_SIGNATURE'])
  })
})

describe('refusals: capabilities and requests', () => {
  it('refuses delegated events under an expired, escalated or foreign capability', async () => {
    const now = Date.now()
    const expired = await issueCapability(t.owner, {
      aud: t.server.accountId,
      bucket: 'pub',
      ops: ['append'],
      exp: now - 1,
    })
    const evs = await buildEvents(t.server, {
      bucket: 'pub',
      owner: t.bob.accountId,
      head: null,
      count: 2,
      cap: expired.cid,
    })
    await refused(cbor(cborAppend(evs, [[expired]])), 401, ['ERR_EXPIRED'])

    const narrow = await issueCapability(t.owner, {
      aud: t.alice.accountId,
      bucket: 'pub',
      ops: ['read'],
      exp: now + 60_000,
    })
    const escalated = await delegateCapability(t.alice, [narrow], {
      aud: t.server.accountId,
      bucket: 'pub',
      ops: ['append'],
      exp: now + 30_000,
    })
    const esc = await buildEvents(t.server, {
      bucket: 'pub',
      owner: t.bob.accountId,
      head: null,
      count: 2,
      cap: escalated[1]!.cid,
    })
    await refused(cbor(cborAppend(esc, [escalated])), 403, ['ERR_ESCALATION'])

    const foreign = await issueCapability(t.mallory, {
      aud: t.server.accountId,
      bucket: 'pub',
      ops: ['append'],
      exp: now + 60_000,
    })
    const fe = await buildEvents(t.server, {
      bucket: 'pub',
      owner: t.bob.accountId,
      head: null,
      count: 1,
      cap: foreign.cid,
    })
    await refused(cbor(cborAppend(fe, [[foreign]])), 401, ['ERR_UNAUTHORIZED'])
    await refused(cbor(cborAppend(fe)), 401, ['ERR_UNAUTHORIZED'])
  })

  it('refuses appends to unknown buckets and keeps the whole request out when one event is bad', async () => {
    const nowhere = await buildEvents(t.alice, { bucket: 'nowhere', head: null, count: 1 })
    await refused(cbor(cborAppend(nowhere)), 404, ['ERR_NOT_FOUND'])
    const good = await buildEvents(t.bob, { bucket: 'pub', head: null, count: 2 })
    const bad = (await next(2)).map((e) => ({ ...e, seal: { ...e.seal, sig: new Uint8Array(64) } }))
    const both = await signEvents(t.bob, good)
    await refused(cbor(cborAppend([...both.map((e, k) => ({ ...e, body: good[k]!.body! })), ...bad])), 400, [
      'ERR_BAD_SIGNATURE',
    ])
  })

  it('keeps serving: a valid append and health checks after all of the above', async () => {
    const evs = await next(3)
    const res = await cbor(cborAppend(evs))()
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().heads[0].length, 5)
    assert.equal((await t.app.inject('/health')).statusCode, 200)
    assert.deepEqual((await t.node.store.check()).errors, [])
  })
})
