import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type CID, issueCapability, type LocalSigner, TOMBSTONE_TYPE } from '@ddc/core'
import { CarReader } from '@ipld/car'
import { buildEvents, cborAppend, type FixtureEvent, headOf, startTestNode, type TestNode } from './fixtures.js'

const CBOR = 'application/vnd.ipld.dag-cbor'
let t: TestNode

before(async () => {
  t = await startTestNode()
})
after(() => t.close())

const post = (body: Uint8Array) =>
  t.app.inject({ method: 'POST', url: '/events', payload: Buffer.from(body), headers: { 'content-type': CBOR } })

async function timeline(signer: LocalSigner, count: number): Promise<FixtureEvent[]> {
  const evs = await buildEvents(signer, { bucket: 'pub', head: null, count })
  assert.equal((await post(cborAppend(evs))).statusCode, 200)
  return evs
}

const tombstone = (signer: LocalSigner, after: FixtureEvent[], erase: 'all' | CID[], extra = {}) =>
  buildEvents(signer, {
    bucket: 'pub',
    head: headOf(after),
    count: 1,
    type: TOMBSTONE_TYPE,
    pub: () => ({ erase }),
    noBody: true,
    ...extra,
  })

describe('tombstones', () => {
  it('erase the bodies of the named events; envelopes stay and reads say redacted', async () => {
    const evs = await timeline(t.alice, 5)
    const tomb = await tombstone(t.alice, evs, [evs[1]!.cid, evs[3]!.cid])
    const res = await post(cborAppend(tomb))
    assert.equal(res.statusCode, 200, res.body)
    const page = (await t.app.inject(`/buckets/pub/timelines/${t.alice.address}/events`)).json().events
    assert.deepEqual(
      page.map((e: { redacted: boolean }) => e.redacted),
      [false, true, false, true, false, false],
    )
    assert.equal(page[1].body, undefined)
    assert.equal(page[5].envelope.type, TOMBSTONE_TYPE)
    assert.equal((await t.app.inject(`/blocks/${evs[1]!.envelope.body}`)).statusCode, 404)
    assert.equal((await t.app.inject(`/blocks/${evs[1]!.cid}`)).statusCode, 200)
    assert.equal((await t.app.inject(`/events/${evs[3]!.cid}`)).json().redacted, true)
    const usage = (await t.app.inject('/usage?bucket=pub')).json().usage[0]
    assert.equal(usage.bytesErased, evs[1]!.body!.length + evs[3]!.body!.length)
    assert.deepEqual((await t.node.store.check()).errors, [])
  })

  it('erase every earlier event with "all", including events earlier in the same request', async () => {
    const evs = await timeline(t.bob, 3)
    const more = await buildEvents(t.bob, { bucket: 'pub', head: headOf(evs), count: 2 })
    const tomb = await tombstone(t.bob, more, 'all')
    const after = await buildEvents(t.bob, { bucket: 'pub', head: headOf(tomb), count: 1 })
    const res = await post(cborAppend([...more, ...tomb, ...after]))
    assert.equal(res.statusCode, 200, res.body)
    const page = (await t.app.inject(`/buckets/pub/timelines/${t.bob.address}/events`)).json().events
    assert.deepEqual(
      page.map((e: { redacted: boolean }) => e.redacted),
      [true, true, true, true, true, false, false],
    )
    // The export still verifies: every block matches its CID, erased bodies are simply absent.
    const car = await t.app.inject(`/buckets/pub/timelines/${t.bob.address}/car`)
    const reader = await CarReader.fromBytes(car.rawPayload)
    const cids = new Set<string>()
    for await (const b of reader.blocks()) cids.add(b.cid.toString())
    assert.ok(cids.has(evs[0]!.cid.toString()))
    assert.ok(!cids.has(evs[0]!.envelope.body!.toString()))
    assert.ok(cids.has(after[0]!.envelope.body!.toString()))
  })

  it('are refused when they name events of another timeline, or later ones', async () => {
    const mine = await timeline(t.mallory, 2)
    const theirs = (await t.app.inject(`/buckets/pub/timelines/${t.alice.address}/events?limit=1`)).json().events[0]
    const { CID } = await import('@ddc/core')
    const bad = await tombstone(t.mallory, mine, [CID.parse(theirs.cid)])
    const res = await post(cborAppend(bad))
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'ERR_INVALID_INPUT')
    assert.equal((await t.app.inject(`/blocks/${mine[0]!.envelope.body}`)).statusCode, 200)
    assert.equal((await t.app.inject(`/buckets/pub/timelines/${t.mallory.address}`)).json().length, 2)
  })

  it('may be appended by a delegate holding delete, not by one holding only append', async () => {
    const evs = await timeline(t.owner, 2)
    const appendOnly = await issueCapability(t.owner, {
      aud: t.server.accountId,
      bucket: 'pub',
      ops: ['append'],
      exp: Date.now() + 60_000,
    })
    const denied = await tombstone(t.server, evs, [evs[0]!.cid], { owner: t.owner.accountId, cap: appendOnly.cid })
    const no = await post(cborAppend(denied, [[appendOnly]]))
    assert.equal(no.statusCode, 401)
    assert.equal(no.json().code, 'ERR_UNAUTHORIZED')
    const del = await issueCapability(t.owner, {
      aud: t.server.accountId,
      bucket: 'pub',
      tl: [t.owner.accountId],
      ops: ['delete'],
      exp: Date.now() + 60_000,
    })
    const allowed = await tombstone(t.server, evs, [evs[0]!.cid], { owner: t.owner.accountId, cap: del.cid })
    const yes = await post(cborAppend(allowed, [[del]]))
    assert.equal(yes.statusCode, 200, yes.body)
    assert.equal((await t.app.inject(`/events/${evs[0]!.cid}`)).json().redacted, true)
  })
})
