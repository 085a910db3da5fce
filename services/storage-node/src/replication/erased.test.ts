// Catching up past erased bodies (README "Replication"): three in-process replicated nodes on loopback
// (RF=3, W=2). A replica that missed events whose bodies a tombstone erased since then stores them as
// erased, proven by the tombstone fetched in the same batch; a peer that omits a body no tombstone
// erased is refused.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { nodeIdOf } from '@ddc/chain'
import {
  createAccount,
  cryptoReady,
  decodeCanonical,
  encodeCanonical,
  type Head,
  SealVerifier,
  TOMBSTONE_TYPE,
  toHex,
} from '@ddc/core'
import { Registry } from 'prom-client'
import { buildEvents, cborAppend, type FixtureEvent, headOf } from '../fixtures.js'
import { type IngestContext, ingest } from '../ingest.js'
import { createNodeMetrics } from '../metrics.js'
import { createStorageNode, type StorageNode } from '../node.js'
import { freePort } from '../spawn.js'
import { openLevelStore } from '../store/level.js'
import type { TimelineStore } from '../store/types.js'
import { createVerifyPool } from '../verify-pool.js'
import { cborRequest } from '../wire.js'
import { devNodeKey } from './cluster.js'
import { post } from './drill.js'
import { createForkBook } from './forks.js'
import { createReplicationMetrics } from './metrics.js'
import { createPeerClient, type PeerClient } from './peer-client.js'
import { Replica } from './replica.js'
import type { PeerNode } from './topology.js'

const BUCKET = 'rep'
const bucketOwner = createAccount({ uri: '//ErasedBucketOwner' })
const writer = createAccount({ uri: '//ErasedWriter', scheme: 'ed25519' })
const dir = mkdtempSync(join(tmpdir(), 'ddc-erased-'))
const keys = [0, 1, 2].map((i) => createAccount({ uri: devNodeKey(i) }))
const ports: number[] = []
const nodes: (StorageNode | undefined)[] = []
const url = (i: number) => `http://127.0.0.1:${ports[i]}`
const buckets = [{ id: BUCKET, owner: bucketOwner.accountId, isPublic: true }]
/** The writer's timeline as appended: seq 0..7, a tombstone at 6 erasing seq 3. */
const events: FixtureEvent[] = []

async function start(i: number): Promise<void> {
  const node = await createStorageNode({
    dataDir: join(dir, `node${i}`),
    buckets,
    verifyWorkers: 0,
    defaultMetrics: false,
    replication: {
      key: devNodeKey(i),
      selfUrl: url(i),
      peers: [0, 1, 2].filter((j) => j !== i).map((j) => ({ url: url(j), key: keys[j]!.address })),
      replicationFactor: 3,
      writeQuorum: 2,
      repairIntervalMs: 200,
      probeIntervalMs: 100,
    },
  })
  await node.app.listen({ host: '127.0.0.1', port: ports[i]! })
  nodes[i] = node
}

async function stop(i: number): Promise<void> {
  await nodes[i]?.close()
  nodes[i] = undefined
}

async function headOn(i: number): Promise<{ seq: number; cid: string } | null> {
  const res = await fetch(`${url(i)}/buckets/${BUCKET}/timelines/${writer.address}`)
  return ((await res.json()) as { head: { seq: number; cid: string } | null }).head
}

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let k = 0; k < 200; k++) {
    if (await ok()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  assert.fail(`timed out waiting until ${what}`)
}

async function append(evs: FixtureEvent[]): Promise<void> {
  const answer = await post(url(0), cborAppend(evs))
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.ok((answer.body.replicas ?? 0) >= 2, 'acknowledged by the write quorum')
  events.push(...evs)
}

const more = (count: number, extra = {}) =>
  buildEvents(writer, { bucket: BUCKET, head: events.length ? headOf(events) : null, count, ...extra })

/** A replica of its own (fresh store, page size 2) fetching from node 0 through `client`. */
async function sideReplica(name: string, client: PeerClient, workers = 0) {
  const store = await openLevelStore({ dir: join(dir, name) })
  const ctx: IngestContext = {
    store,
    pool: createVerifyPool({ size: workers }),
    buckets: { getBucket: async (id) => ({ ...buckets.find((b) => b.id === id)!, cluster: '' }) as never },
    seals: new SealVerifier(),
    now: Date.now,
    metrics: createNodeMetrics(new Registry()),
    ss58Prefix: 42,
    maxEvents: 10_000,
  }
  const metrics = createReplicationMetrics(new Registry())
  const replica = new Replica({
    ingest: ctx,
    // syncRange asks neither: it talks to the peer it is given.
    topology: undefined as never,
    health: undefined as never,
    client,
    forks: createForkBook(store, metrics.forks),
    metrics,
    writeQuorum: 2,
    pageSize: 2,
    log: () => {},
  })
  const peer: PeerNode = { id: nodeIdOf(keys[0]!.accountId), url: url(0), key: keys[0]!.accountId }
  return { store, ctx, replica, peer, ref: { bucket: BUCKET, owner: writer.accountId } }
}

/** Node 0's range with the body block of `seq` left out, as a dishonest peer would send it. */
function withoutBody(bytes: Uint8Array, seq: number, first: number): Uint8Array {
  if (bytes.length === 0) return bytes
  const body = decodeCanonical(bytes) as { events: { body?: Uint8Array }[] }
  const k = seq - first
  if (k >= 0 && k < body.events.length) delete body.events[k]!.body
  return encodeCanonical(body)
}

const bodyOf = async (store: TimelineStore, seq: number) => {
  const cid = events[seq]!.envelope.body!
  return (await store.getBlock(cid))?.bytes
}

describe('catching up past erased bodies (3 in-process nodes, RF=3, W=2)', () => {
  before(async () => {
    await cryptoReady()
    for (let i = 0; i < 3; i++) ports.push(await freePort())
    for (let i = 0; i < 3; i++) await start(i)
  })
  after(async () => {
    for (let i = 0; i < 3; i++) await stop(i)
    rmSync(dir, { recursive: true, force: true })
  })

  it('a node that missed events stores the erased one as redacted and the later ones intact', async () => {
    await append(await more(2))
    await until('node 2 holds seq 1', async () => (await headOn(2))?.seq === 1)
    await stop(2)
    await append(await more(4)) // seq 2..5 on nodes 0 and 1 only
    await append(await more(1, { type: TOMBSTONE_TYPE, pub: () => ({ erase: [events[3]!.cid] }), noBody: true }))
    await append(await more(1)) // seq 7
    await start(2)
    const head = await headOn(0)
    assert.equal(head?.seq, 7)
    await until('node 2 reaches the head', async () => (await headOn(2))?.cid === head!.cid)

    const page = (await (await fetch(`${url(2)}/buckets/${BUCKET}/timelines/${writer.address}/events`)).json()) as {
      events: { redacted: boolean; body?: unknown; cid: string }[]
    }
    assert.deepEqual(
      page.events.map((e) => e.redacted),
      [false, false, false, true, false, false, false, false],
    )
    assert.deepEqual(
      page.events.map((e) => e.cid),
      events.map((e) => e.cid.toString()),
    )
    const erased = (await (await fetch(`${url(2)}/events/${events[3]!.cid}`)).json()) as { redacted: boolean }
    assert.equal(erased.redacted, true)
    for (const seq of [2, 4, 5, 7]) assert.ok(await bodyOf(nodes[2]!.store, seq), `seq ${seq} keeps its body`)
    assert.equal(await bodyOf(nodes[2]!.store, 3), undefined)
    assert.deepEqual((await nodes[2]!.store.check()).errors, [])
  })

  it('holds pages back until the tombstone that erased an event arrives, then stores them in one commit', async () => {
    const real = createPeerClient({ signer: keys[2]!, timeoutMs: 10_000 })
    // One worker thread: the decode option crosses the thread boundary.
    const side = await sideReplica('side-honest', real, 1)
    await side.ctx.pool.ready()
    // Page size 2: seq 3 is erased in page [2, 3], its tombstone comes in page [6, 7].
    assert.equal(await side.replica.syncRange(side.peer, side.ref, 0, 7), 8)
    const head: Head | null = await side.store.head(side.ref)
    assert.equal(head?.cid.toString(), events[7]!.cid.toString())
    assert.equal(await bodyOf(side.store, 3), undefined)
    assert.ok(await bodyOf(side.store, 4))
    await side.ctx.pool.close()
    await side.store.close()
  })

  it('refuses a range where a peer omits a body that no tombstone erased', async () => {
    const real = createPeerClient({ signer: keys[2]!, timeoutMs: 10_000 })
    const liar: PeerClient = {
      ...real,
      events: async (peer, bucket, owner, from, to) =>
        withoutBody(await real.events(peer, bucket, owner, from, to), 4, from),
    }
    const side = await sideReplica('side-liar', liar)
    await assert.rejects(side.replica.syncRange(side.peer, side.ref, 0, 7), {
      code: 'ERR_UNAVAILABLE',
      message: /sent seq 4 without its body block/,
    })
    assert.equal((await side.store.head(side.ref))?.seq, 1, 'nothing from the batch holding seq 4 is stored')
    assert.equal(await side.store.eventAt(side.ref, 4), undefined)

    // The same range handed to ingest directly (one request, tombstone included) is refused there too.
    const bytes = withoutBody(await real.events(side.peer, BUCKET, toHex(side.ref.owner), 2, 7), 4, 2)
    const decoded = await side.ctx.pool.decode(bytes, 100, { allowErased: true })
    await assert.rejects(ingest(side.ctx, cborRequest(bytes), decoded), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ERR_INVALID_INPUT')
      assert.match(err.message, /event 2: the body block named by envelope.body is missing/)
      return true
    })
    assert.equal(await side.store.eventAt(side.ref, 4), undefined)
    await side.store.close()
  })
})
