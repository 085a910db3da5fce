import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  createAccount,
  decodeEnvelope,
  encodeCapabilityChain,
  issueCapability,
  type SignedCapability,
  sealFromJson,
  signRequest,
  verifyEvent,
} from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
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

const CBOR = 'application/vnd.ipld.dag-cbor'
let t: TestNode

before(async () => {
  t = await startTestNode()
})
after(() => t.close())

const postJson = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/events', payload: payload as object, headers })
const postCbor = (payload: Uint8Array) =>
  t.app.inject({ method: 'POST', url: '/events', payload: Buffer.from(payload), headers: { 'content-type': CBOR } })
const get = (url: string) => t.app.inject(url)

describe('storage node: appends', () => {
  it('stores a single event sent as JSON and reports the new head', async () => {
    const [ev] = await buildEvents(t.alice, { bucket: 'pub', head: null, count: 1 })
    const res = await postJson(jsonAppend([ev!]))
    assert.equal(res.statusCode, 200, res.body)
    const out = res.json()
    assert.equal(out.stored, 1)
    assert.deepEqual(out.heads[0], {
      bucket: 'pub',
      owner: t.alice.address,
      seq: 0,
      cid: ev!.cid.toString(),
      length: 1,
    })
    const head = await get(`/buckets/pub/timelines/${t.alice.address}`)
    assert.deepEqual(head.json(), {
      bucket: 'pub',
      owner: t.alice.address,
      length: 1,
      head: { seq: 0, cid: ev!.cid.toString() },
    })
  })

  it('stores a batch for several timelines signed once by a delegate, atomically', async () => {
    const cap = await issueCapability(t.owner, {
      aud: t.server.accountId,
      bucket: 'pub',
      ops: ['append'],
      exp: Date.now() + 60_000,
    })
    const users = [t.bob, t.mallory]
    const drafts: FixtureEvent[] = []
    for (const u of users)
      drafts.push(
        ...(await buildEvents(t.server, { bucket: 'pub', owner: u.accountId, head: null, count: 3, cap: cap.cid })),
      )
    // One signature over all six events (the server re-seals the drafts as one batch).
    const { signEvents } = await import('@ddc/core')
    const batch = (await signEvents(t.server, drafts)).map((e, k) => ({ ...e, body: drafts[k]!.body! }))
    assert.ok(batch.every((e) => e.seal.n === 6))
    const withoutCap = await postCbor(cborAppend(batch))
    assert.equal(withoutCap.statusCode, 401)
    assert.equal(withoutCap.json().code, 'ERR_UNAUTHORIZED')
    const res = await postCbor(cborAppend(batch, [[cap]]))
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().stored, 6)
    assert.deepEqual(
      res.json().heads.map((h: { owner: string; length: number }) => [h.owner, h.length]),
      users.map((u) => [u.address, 3]),
    )
    // The capability is kept, so anyone can verify the delegation later.
    const chain = await get(`/capabilities/${cap.cid}`)
    assert.equal(chain.statusCode, 200)
    assert.equal(chain.json().chain[0].aud, t.server.address)
  })

  it('accepts the capability chain in the x-ddc-capability header and a CAR body', async () => {
    const cap = await issueCapability(t.owner, {
      aud: t.server.accountId,
      bucket: 'pub',
      tl: [t.owner.accountId],
      ops: ['append'],
      exp: Date.now() + 60_000,
    })
    const evs = await buildEvents(t.server, {
      bucket: 'pub',
      owner: t.owner.accountId,
      head: null,
      count: 4,
      cap: cap.cid,
    })
    const res = await t.app.inject({
      method: 'POST',
      url: '/events',
      payload: Buffer.from(await carAppend(evs)),
      headers: { 'content-type': 'application/vnd.ipld.car', 'x-ddc-capability': encodeCapabilityChain([cap]) },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().stored, 4)
  })

  it('answers a stale prev with 409 and the current head, and a retried request with duplicates', async () => {
    const first = await buildEvents(t.alice, { bucket: 'priv', head: null, count: 3 })
    assert.equal((await postJson(jsonAppend(first))).statusCode, 200)
    const forked = await buildEvents(t.alice, { bucket: 'priv', head: headOf(first.slice(0, 1)), count: 1 })
    const res = await postJson(jsonAppend(forked))
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'ERR_CONFLICT')
    assert.deepEqual(res.json().details.head, { seq: 2, cid: first[2]!.cid.toString() })
    const gap = await buildEvents(t.alice, { bucket: 'priv', head: { seq: 5, cid: first[2]!.cid }, count: 1 })
    const gapRes = await postJson(jsonAppend(gap))
    assert.equal(gapRes.statusCode, 409)
    assert.equal(gapRes.json().details.head.seq, 2)
    const retry = await postJson(jsonAppend(first))
    assert.equal(retry.statusCode, 200)
    assert.deepEqual([retry.json().stored, retry.json().duplicates], [0, 3])
  })

  it('orders concurrent appends to one timeline: one wins, the other conflicts', async () => {
    const racer = createAccount({ uri: '//Racer', scheme: 'ed25519' })
    const a = await buildEvents(racer, { bucket: 'pub', head: null, count: 2 })
    const b = await buildEvents(racer, { bucket: 'pub', head: null, count: 2 })
    const [ra, rb] = await Promise.all([postJson(jsonAppend(a)), postJson(jsonAppend(b))])
    assert.deepEqual([ra.statusCode, rb.statusCode].sort(), [200, 409])
    const head = (await get(`/buckets/pub/timelines/${racer.address}`)).json()
    assert.equal(head.length, 2)
  })
})

describe('storage node: reads', () => {
  let evs: FixtureEvent[]
  const reader = createAccount({ uri: '//Reader' })
  const owner = () => reader.address
  before(async () => {
    evs = await buildEvents(reader, {
      bucket: 'pub',
      head: null,
      count: 30,
      type: (k) => (k % 3 === 0 ? 'purchase' : 'view'),
      ts: (k) => 1_000_000 + k * 10,
    })
    assert.equal((await postCbor(cborAppend(evs.slice(0, 15)))).statusCode, 200)
    assert.equal((await postCbor(cborAppend(evs.slice(15)))).statusCode, 200)
  })

  const seqs = (res: { json(): { events: { seq: number }[] } }) => res.json().events.map((e) => e.seq)

  it('reads seq ranges forwards and backwards, page by page', async () => {
    const p1 = await get(`/buckets/pub/timelines/${owner()}/events?from=5&to=20&limit=6`)
    assert.deepEqual(seqs(p1), [5, 6, 7, 8, 9, 10])
    const p2 = await get(`/buckets/pub/timelines/${owner()}/events?from=5&to=20&limit=6&cursor=${p1.json().next}`)
    assert.deepEqual(seqs(p2), [11, 12, 13, 14, 15, 16])
    const back = await get(`/buckets/pub/timelines/${owner()}/events?order=desc&to=20&limit=4`)
    assert.deepEqual(seqs(back), [20, 19, 18, 17])
    const back2 = await get(
      `/buckets/pub/timelines/${owner()}/events?order=desc&to=20&limit=4&cursor=${back.json().next}`,
    )
    assert.deepEqual(seqs(back2), [16, 15, 14, 13])
    const all = await get(`/buckets/pub/timelines/${owner()}/events?limit=1000`)
    assert.equal(all.json().events.length, 30)
    assert.equal(all.json().next, undefined)
  })

  it('reads the tail of a timeline and returns verifiable events', async () => {
    const tail = await get(`/buckets/pub/timelines/${owner()}/events?order=desc&limit=3`)
    assert.deepEqual(seqs(tail), [29, 28, 27])
    for (const e of tail.json().events) {
      const env = Buffer.from(evs[e.seq]!.bytes)
      const { envelope, cid } = decodeEnvelope(env)
      assert.equal(cid.toString(), e.cid)
      verifyEvent({ cid, envelope, seal: sealFromJson(e.seal) })
      assert.equal(e.body, Buffer.from(evs[e.seq]!.body!).toString('base64'))
      assert.equal(e.redacted, false)
    }
  })

  it('filters by type and by client-time range through the indexes', async () => {
    const purchases = await get(`/buckets/pub/timelines/${owner()}/events?type=purchase&limit=4`)
    assert.deepEqual(seqs(purchases), [0, 3, 6, 9])
    const more = await get(
      `/buckets/pub/timelines/${owner()}/events?type=purchase&limit=4&cursor=${purchases.json().next}`,
    )
    assert.deepEqual(seqs(more), [12, 15, 18, 21])
    const window = await get(`/buckets/pub/timelines/${owner()}/events?since=1000050&until=1000100`)
    assert.deepEqual(seqs(window), [5, 6, 7, 8, 9])
    const both = await get(
      `/buckets/pub/timelines/${owner()}/events?since=1000050&until=1000200&type=purchase&order=desc`,
    )
    assert.deepEqual(seqs(both), [18, 15, 12, 9, 6])
  })

  it('answers DAG-CBOR pages in the append format', async () => {
    const res = await t.app.inject({
      url: `/buckets/pub/timelines/${owner()}/events?limit=2`,
      headers: { accept: CBOR },
    })
    assert.equal(res.headers['content-type'], CBOR)
    const page = dagCbor.decode<{ events: { env: Uint8Array; body: Uint8Array }[]; next: string }>(res.rawPayload)
    assert.ok(Buffer.from(page.events[0]!.env).equals(evs[0]!.bytes))
    assert.ok(Buffer.from(page.events[1]!.body).equals(evs[1]!.body!))
    assert.equal(page.next, 's1')
  })

  it('reads one event by CID, raw blocks, and refuses unknown ones', async () => {
    const one = await get(`/events/${evs[7]!.cid}`)
    assert.equal(one.json().seq, 7)
    assert.equal(one.json().envelope.type, 'view')
    const block = await get(`/blocks/${evs[7]!.envelope.body}`)
    assert.equal(block.headers['content-type'], 'application/vnd.ipld.raw')
    assert.deepEqual(new Uint8Array(block.rawPayload), evs[7]!.body)
    const missing = await get('/events/bafyreigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'ERR_NOT_FOUND')
    assert.equal((await get('/blocks/not-a-cid')).statusCode, 400)
  })

  it('lists the timelines of a bucket, page by page, and the buckets of the node', async () => {
    const all = (await get('/buckets/pub/timelines?limit=100')).json().timelines
    assert.ok(all.length >= 4)
    const page = await get('/buckets/pub/timelines?limit=2')
    assert.equal(page.json().timelines.length, 2)
    const next = await get(`/buckets/pub/timelines?limit=2&after=${page.json().next}`)
    assert.deepEqual(next.json().timelines[0], all[2])
    assert.deepEqual(
      (await get('/buckets')).json().buckets.map((b: { id: string }) => b.id),
      ['priv', 'pub'],
    )
  })

  it('keeps usage per bucket', async () => {
    const usage = (await get('/usage?bucket=pub')).json().usage[0]
    assert.ok(usage.events >= 30)
    assert.ok(usage.bytesStored > 30 * 1300)
    assert.ok(usage.bytesRead > 0)
    assert.ok(usage.requests > 0)
  })
})

describe('storage node: private buckets', () => {
  let evs: FixtureEvent[]
  let readCap: SignedCapability
  before(async () => {
    evs = await buildEvents(t.bob, { bucket: 'priv', head: null, count: 2 })
    assert.equal((await postJson(jsonAppend(evs))).statusCode, 200)
    readCap = await issueCapability(t.owner, {
      aud: t.server.accountId,
      bucket: 'priv',
      tl: [t.bob.accountId],
      ops: ['read'],
      exp: Date.now() + 60_000,
    })
  })

  const signedGet = async (signer: typeof t.owner, url: string, capability?: SignedCapability[]) =>
    t.app.inject({
      url,
      headers: await signRequest(signer, { method: 'GET', url, ...(capability ? { capability } : {}) }),
    })

  it('refuses unsigned reads and reads by strangers', async () => {
    const url = `/buckets/priv/timelines/${t.bob.address}/events`
    const anon = await get(url)
    assert.equal(anon.statusCode, 401)
    assert.equal(anon.json().code, 'ERR_UNAUTHORIZED')
    assert.equal((await signedGet(t.mallory, url)).statusCode, 401)
    assert.equal((await get(`/blocks/${evs[0]!.cid}`)).statusCode, 401)
  })

  it('serves the bucket owner, the timeline owner and a holder of a read capability', async () => {
    const url = `/buckets/priv/timelines/${t.bob.address}/events?order=desc&limit=1`
    assert.equal((await signedGet(t.owner, url)).statusCode, 200)
    assert.equal((await signedGet(t.bob, url)).statusCode, 200)
    const viaCap = await signedGet(t.server, url, [readCap])
    assert.equal(viaCap.statusCode, 200)
    assert.equal(viaCap.json().events[0].cid, evs[1]!.cid.toString())
    // The capability covers bob's timeline only.
    const other = await signedGet(t.server, `/buckets/priv/timelines/${t.alice.address}/events`, [readCap])
    assert.equal(other.statusCode, 401)
  })

  it('refuses a replayed signed request', async () => {
    const url = `/buckets/priv/timelines/${t.bob.address}`
    const headers = await signRequest(t.owner, { method: 'GET', url })
    assert.equal((await t.app.inject({ url, headers })).statusCode, 200)
    const again = await t.app.inject({ url, headers })
    assert.equal(again.statusCode, 401)
    assert.equal(again.json().code, 'ERR_REPLAY')
  })
})

describe('storage node: service surface', () => {
  it('documents every route in OpenAPI with tags, a summary and responses', async () => {
    const doc = (await get('/openapi.json')).json()
    const ops = Object.entries(
      doc.paths as Record<string, Record<string, { tags?: string[]; summary?: string; responses?: object }>>,
    )
    assert.ok(ops.length >= 10)
    for (const [path, methods] of ops)
      for (const [method, op] of Object.entries(methods)) {
        if (method === 'head') continue
        assert.ok(op.tags?.length, `${method} ${path} has tags`)
        assert.ok(op.summary, `${method} ${path} has a summary`)
        assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has responses`)
      }
    assert.ok(doc.paths['/events'].post.requestBody.content[CBOR])
  })

  it('reports health and node metrics', async () => {
    assert.equal((await get('/health')).json().checks.store, true)
    const metrics = (await get('/metrics')).body
    assert.match(metrics, /ddc_node_events_appended_total\{[^}]*\} \d+/)
    assert.match(metrics, /ddc_node_group_commit_events_count/)
  })
})
