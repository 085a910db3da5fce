/**
 * The IPFS trustless gateway and the CAR export, over a real socket, read back with @ipld/car's
 * CarReader and every block checked against its CID with multiformats' sha256 — what an IPFS client
 * does (a Helia/@helia/verified-fetch run is left to an opt-in script).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeEnvelope, issueCapability, parseSeal, signRequest, verifyEvent } from '@ddc/core'
import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { buildEvents, cborAppend, type FixtureEvent, headOf, startTestNode, type TestNode } from './fixtures.js'

let t: TestNode
let url: string
let evs: FixtureEvent[]
let delegated: FixtureEvent[]
let capCid: CID

before(async () => {
  t = await startTestNode()
  url = await t.app.listen({ host: '127.0.0.1', port: 0 })
  evs = await buildEvents(t.alice, { bucket: 'pub', head: null, count: 6 })
  const cap = await issueCapability(t.owner, {
    aud: t.server.accountId,
    bucket: 'pub',
    ops: ['append'],
    exp: Date.now() + 60_000,
  })
  capCid = cap.cid
  delegated = await buildEvents(t.server, {
    bucket: 'pub',
    owner: t.alice.accountId,
    head: headOf(evs),
    count: 2,
    cap: cap.cid,
  })
  for (const [body, chains] of [
    [evs, []],
    [delegated, [[cap]]],
  ] as const) {
    const res = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ipld.dag-cbor' },
      body: Buffer.from(cborAppend(body, chains as never)),
    })
    assert.equal(res.status, 200, await res.text())
  }
})
after(() => t.close())

async function verifiedBlocks(bytes: Uint8Array) {
  const reader = await CarReader.fromBytes(bytes)
  const blocks: { cid: CID; bytes: Uint8Array }[] = []
  for await (const b of reader.blocks()) {
    const digest = await sha256.digest(b.bytes)
    assert.deepEqual(digest.digest, b.cid.multihash.digest, `block ${b.cid} verifies`)
    blocks.push(b)
  }
  return { roots: await reader.getRoots(), blocks }
}

describe('IPFS trustless gateway', () => {
  it('serves a raw block that hashes to its CID, with the gateway headers', async () => {
    const cid = evs[2]!.cid
    for (const init of [{ query: '?format=raw' }, { accept: 'application/vnd.ipld.raw' }]) {
      const res = await fetch(`${url}/ipfs/${cid}${init.query ?? ''}`, {
        headers: init.accept ? { accept: init.accept } : {},
      })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'application/vnd.ipld.raw')
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(res.headers.get('etag'), `"${cid}.raw"`)
      assert.match(res.headers.get('content-disposition') ?? '', /attachment/)
      const bytes = new Uint8Array(await res.arrayBuffer())
      assert.deepEqual((await sha256.digest(bytes)).digest, cid.multihash.digest)
    }
  })

  it('serves a CAR of the whole DAG under a head: envelopes, bodies and capabilities', async () => {
    const head = delegated[1]!.cid
    const res = await fetch(`${url}/ipfs/${head}`, { headers: { accept: 'application/vnd.ipld.car' } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/vnd.ipld.car; version=1; order=dfs; dups=n')
    assert.equal(res.headers.get('etag'), `"${head}.car"`)
    const { roots, blocks } = await verifiedBlocks(new Uint8Array(await res.arrayBuffer()))
    assert.deepEqual(roots.map(String), [head.toString()])
    const have = new Set(blocks.map((b) => b.cid.toString()))
    for (const e of [...evs, ...delegated]) {
      assert.ok(have.has(e.cid.toString()), `envelope ${e.envelope.seq}`)
      assert.ok(have.has(e.envelope.body!.toString()), `body ${e.envelope.seq}`)
    }
    assert.ok(have.has(capCid.toString()))
    assert.equal(blocks.length, 2 * 8 + 1)
    assert.equal(blocks[0]!.cid.toString(), head.toString())
  })

  it('honours dag-scope=block and entity, and refuses what it cannot serve', async () => {
    for (const scope of ['block', 'entity']) {
      const res = await fetch(`${url}/ipfs/${evs[3]!.cid}?format=car&dag-scope=${scope}`)
      assert.equal(res.headers.get('etag'), `"${evs[3]!.cid}.${scope}.car"`)
      const { blocks } = await verifiedBlocks(new Uint8Array(await res.arrayBuffer()))
      assert.deepEqual(
        blocks.map((b) => b.cid.toString()),
        [evs[3]!.cid.toString()],
      )
    }
    const unknown = CID.create(1, 0x55, await sha256.digest(new Uint8Array([9])))
    const missing = await fetch(`${url}/ipfs/${unknown}?format=raw`)
    assert.equal(missing.status, 404)
    assert.equal((await missing.json()).code, 'ERR_NOT_FOUND')
    assert.equal((await fetch(`${url}/ipfs/${evs[0]!.cid}`)).status, 400)
    assert.equal((await fetch(`${url}/ipfs/nonsense?format=raw`)).status, 400)
    const head = await fetch(`${url}/ipfs/${evs[0]!.cid}?format=raw`, { method: 'HEAD' })
    assert.equal(head.status, 200)
  })

  it('needs a signed request for blocks of a private bucket', async () => {
    const priv = await buildEvents(t.bob, { bucket: 'priv', head: null, count: 1 })
    await t.app.inject({
      method: 'POST',
      url: '/events',
      payload: Buffer.from(cborAppend(priv)),
      headers: { 'content-type': 'application/vnd.ipld.dag-cbor' },
    })
    const path = `/ipfs/${priv[0]!.cid}?format=raw`
    assert.equal((await fetch(`${url}${path}`)).status, 401)
    const signed = await fetch(`${url}${path}`, {
      headers: await signRequest(t.bob, { method: 'GET', url: `${url}${path}` }),
    })
    assert.equal(signed.status, 200)
  })
})

describe('timeline CAR export', () => {
  it('exports every envelope, body, capability and a seal block per event, all verifiable', async () => {
    const res = await fetch(`${url}/buckets/pub/timelines/${t.alice.address}/car`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^application\/vnd\.ipld\.car; version=1/)
    const { roots, blocks } = await verifiedBlocks(new Uint8Array(await res.arrayBuffer()))
    assert.deepEqual(roots.map(String), [delegated[1]!.cid.toString()])
    const byCid = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]))
    const seals = blocks
      .map((b) => dagCbor.decode(b.bytes) as { event?: CID; seal?: unknown })
      .filter((v) => v && typeof v === 'object' && 'event' in v && 'seal' in v)
    assert.equal(seals.length, 8)
    for (const s of seals) {
      const env = byCid.get(s.event!.toString())!
      const { envelope, cid } = decodeEnvelope(env)
      verifyEvent({ cid, envelope, seal: parseSeal(s.seal) })
    }
    assert.ok(byCid.has(capCid.toString()))
    const empty = await fetch(`${url}/buckets/pub/timelines/${t.mallory.address}/car`)
    assert.equal(empty.status, 404)
  })
})
