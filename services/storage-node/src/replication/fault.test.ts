// Replication under faults, on real node processes over loopback (issue #5 "Must show"): three nodes,
// RF=3, W=2, clients appending through any node while nodes are SIGKILLed and restarted, a corrupted
// block on disk, and a fork met by a replica.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CID, createAccount, cryptoReady, decodeEnvelope, signRequest, verifyBlock } from '@ddc/core'
import { buildEvents, cborAppend } from '../fixtures.js'
import { blockKey, bodyKey, decodeEventRecord, decodePointer, seqKey } from '../store/layout.js'
import { openLevelStore } from '../store/level.js'
import { type LocalCluster, startCluster } from './cluster.js'
import { appendLoop, converged, type DrillClient, headOn, missingOn, post } from './drill.js'

const BUCKET = 'rep'
const owner = createAccount({ uri: '//RepOwner' })
const clients: DrillClient[] = []
let cluster: LocalCluster
const dir = mkdtempSync(join(tmpdir(), 'ddc-replication-'))
const live = () => cluster.members.filter((m) => m.proc).map((m) => m.url)
const urls = () => cluster.members.map((m) => m.url)

/** Runs the clients for `ms`, calling `during` halfway; answers how many events were acknowledged meanwhile. */
async function load(ms: number, during?: () => Promise<void>): Promise<number> {
  const before = clients.reduce((n, c) => n + c.acked.size, 0)
  const stop = { now: false }
  const loops = clients.map((c) => appendLoop(BUCKET, live, c, stop))
  await new Promise((r) => setTimeout(r, ms / 2))
  await during?.()
  await new Promise((r) => setTimeout(r, ms / 2))
  stop.now = true
  await Promise.all(loops)
  for (const c of clients) assert.deepEqual(c.refusals, [], 'no append was refused')
  return clients.reduce((n, c) => n + c.acked.size, 0) - before
}

/** Waits (bounded) until the node at `url` sees every peer up (or every peer down). */
async function peersSeen(url: string, up: boolean): Promise<void> {
  for (let k = 0; k < 150; k++) {
    const status = (await (await fetch(`${url}/replication/status`)).json()) as {
      catchingUp: boolean
      peers: { up: boolean }[]
    }
    if (status.peers.every((p) => p.up === up) && (!up || !status.catchingUp)) return
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.fail(`${url} never saw every peer ${up ? 'up' : 'down'}`)
}

describe('replication under faults (3 node processes, RF=3, W=2)', () => {
  before(async () => {
    await cryptoReady()
    for (let k = 0; k < 4; k++)
      clients.push({
        signer: createAccount({ uri: `//Rep//${k}`, scheme: 'ed25519' }),
        head: null,
        acked: new Map(),
        refusals: [],
      })
    cluster = await startCluster({ dir, buckets: [{ id: BUCKET, owner: owner.accountId, isPublic: true }] })
  })
  after(async () => {
    await cluster?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores an append on every replica, whichever node receives it', async () => {
    assert.ok((await load(1000)) > 0)
    assert.ok(await converged(urls(), BUCKET, clients, 20_000), 'replicas agree on every head')
    for (const url of urls())
      assert.equal(await missingOn(url, BUCKET, clients), 0, `${url} holds every acknowledged event`)
  })

  it('splits a request over timelines of several first replicas, each part stored on every replica', async () => {
    const owners = Array.from({ length: 6 }, (_, k) => createAccount({ uri: `//RepMixed//${k}`, scheme: 'ed25519' }))
    const events = (
      await Promise.all(owners.map((o) => buildEvents(o, { bucket: BUCKET, head: null, count: 2 })))
    ).flat()
    const answer = await post(cluster.members[0]!.url, cborAppend(events))
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal((answer.body as { stored?: number }).stored, 12)
    assert.ok((answer.body.replicas ?? 0) >= 2)
    const mixed = owners.map((signer) => ({ signer, head: null, acked: new Map<string, number>(), refusals: [] }))
    events.forEach((e, k) => {
      mixed[Math.floor(k / 2)]!.acked.set(e.cid.toString(), e.envelope.seq)
    })
    assert.ok(await converged(urls(), BUCKET, mixed, 20_000))
    for (const url of urls()) assert.equal(await missingOn(url, BUCKET, mixed), 0)
  })

  it('keeps acknowledging writes with one node SIGKILLed, and loses nothing acknowledged', async () => {
    await load(2000, () => cluster.stop(0))
    assert.ok((await load(1000)) > 0, 'writes are acknowledged with a node down')
    for (const url of live()) assert.equal(await missingOn(url, BUCKET, clients), 0)
  })

  it('a restarted node catches up: its heads equal the others’ within a bounded time', async () => {
    await load(1500, () => cluster.start(0))
    assert.ok(await converged(urls(), BUCKET, clients, 30_000), 'heads converge after the restart')
    assert.equal(await missingOn(cluster.members[0]!.url, BUCKET, clients), 0)
  })

  it('with two nodes down, writes fail with ERR_QUORUM and reads still serve', async () => {
    await cluster.stop(1)
    await cluster.stop(2)
    const c = clients[0]!
    const evs = await buildEvents(c.signer, { bucket: BUCKET, head: c.head, count: 1 })
    const survivor = cluster.members[0]!.url
    // Once the survivor's probes see both peers down, it refuses before storing anything. (While its
    // view is stale it stores, pushes, and answers ERR_QUORUM with `replicas: 1`: not acknowledged.)
    await peersSeen(survivor, false)
    let answer = await post(survivor, cborAppend(evs))
    for (let k = 0; k < 20 && answer.body.code !== 'ERR_QUORUM'; k++) {
      await new Promise((r) => setTimeout(r, 100))
      answer = await post(survivor, cborAppend(evs))
    }
    assert.equal(answer.status, 503)
    assert.equal(answer.body.code, 'ERR_QUORUM')
    assert.equal(answer.body.details?.needed, 2)
    assert.ok((answer.body.details?.replicas as number) < 2)
    const head = await headOn(survivor, BUCKET, c)
    assert.equal(head?.cid.toString(), c.head?.cid.toString(), 'the refused append is not visible')
    assert.equal(await missingOn(survivor, BUCKET, clients), 0, 'reads serve every acknowledged event')
  })

  it('detects a corrupted block on disk and repairs it from a healthy replica', async () => {
    // Node 2 is stopped: corrupt one envelope and one body in its LevelDB.
    const c = clients[1]!
    const [envCid, bodyCid] = await corrupt(cluster.members[1]!.dataDir, c)
    await Promise.all([cluster.start(1), cluster.start(2)])
    const url = cluster.members[1]!.url
    const ev = await fetch(`${url}/events/${envCid}?format=cbor`)
    assert.equal(ev.status, 200, 'the event is served, repaired')
    const block = await fetch(`${url}/blocks/${bodyCid}`)
    assert.equal(block.status, 200)
    verifyBlock(bodyCid, new Uint8Array(await block.arrayBuffer()))
    const env = await fetch(`${url}/blocks/${envCid}`)
    verifyBlock(envCid, new Uint8Array(await env.arrayBuffer()))
    const metrics = await (await fetch(`${url}/metrics`)).text()
    assert.match(metrics, /ddc_node_blocks_repaired_total\{[^}]*\} 2\n/)
  })

  it('keeps both envelopes as evidence when a replica meets a fork', async () => {
    const user = createAccount({ uri: '//Forker', scheme: 'ed25519' })
    const [a] = await buildEvents(user, { bucket: BUCKET, head: null, count: 1 })
    const [b] = await buildEvents(user, { bucket: BUCKET, head: null, count: 1 })
    // Nodes 2 and 3 were just restarted: writes settle once every node has caught up and sees the others.
    for (const url of urls()) await peersSeen(url, true)
    assert.equal((await post(cluster.members[0]!.url, cborAppend([a!]))).status, 200)
    assert.ok(await converged(urls(), BUCKET, [{ signer: user, head: null, acked: new Map(), refusals: [] }], 20_000))
    // A cluster member (node 1's key) pushes another envelope at the same seq to node 3.
    const target = cluster.members[2]!.url
    const body = cborAppend([b!])
    const url = `${target}/replication/events`
    const headers = await signRequest(createAccount({ uri: cluster.members[0]!.key }), { method: 'POST', url, body })
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/vnd.ipld.dag-cbor' },
      body: Buffer.from(body),
    })
    assert.equal(res.status, 409)
    assert.equal(((await res.json()) as { code: string }).code, 'ERR_FORK')
    const forks = (await (await fetch(`${target}/forks`)).json()) as {
      forks: { seq: number; sides: { cid: string; source: string }[] }[]
    }
    assert.equal(forks.forks.length, 1)
    assert.deepEqual(forks.forks[0]!.sides.map((s) => s.cid).sort(), [a!.cid.toString(), b!.cid.toString()].sort())
    assert.match(await (await fetch(`${target}/metrics`)).text(), /ddc_node_forks_total\{[^}]*\} 1\n/)
    // The timeline keeps the envelope it had.
    const head = await headOn(target, BUCKET, { signer: user, head: null, acked: new Map(), refusals: [] })
    assert.equal(head?.cid.toString(), a!.cid.toString())
  })

  it('refuses replication calls not signed by a cluster member', async () => {
    const url = `${cluster.members[0]!.url}/replication/buckets/${BUCKET}/heads`
    assert.equal((await fetch(url)).status, 401)
    const headers = await signRequest(createAccount({ uri: '//Mallory' }), { method: 'GET', url })
    assert.equal((await fetch(url, { headers })).status, 401)
  })
})

/** Flips a byte of one envelope and one body block of `c`'s timeline in a stopped node's LevelDB. */
async function corrupt(dataDir: string, c: DrillClient): Promise<[CID, CID]> {
  const store = await openLevelStore({ dir: dataDir })
  try {
    const [envCidText] = [...c.acked.keys()]
    const envCid = CID.parse(envCidText!)
    const p = decodePointer((await store.db.get(blockKey(envCid.bytes)))!)
    if (p.kind !== 'envelope') throw new Error(`${envCid} is not an envelope slot`)
    const rec = (await store.db.get(seqKey(p.tlid, p.seq)))!
    const flipped = Buffer.from(rec)
    flipped[flipped.length - 3]! ^= 0xff
    await store.db.put(seqKey(p.tlid, p.seq), flipped)
    // The body of the next event.
    const next = (await store.db.get(seqKey(p.tlid, p.seq + 1)))!
    const { env } = decodeEventRecord(next)
    const bodyCid = decodeEnvelope(new Uint8Array(env)).envelope.body!
    const body = Buffer.from((await store.db.get(bodyKey(p.tlid, p.seq + 1)))!)
    body[body.length - 1]! ^= 0xff
    await store.db.put(bodyKey(p.tlid, p.seq + 1), body)
    return [envCid, bodyCid]
  } finally {
    await store.close()
  }
}
