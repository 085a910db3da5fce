/**
 * The behaviour every storage engine owes (store/types.ts). Run against LevelDB here; a new engine
 * adds its factory to `engines`.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { cidOf, createAccount, cryptoReady, type LocalSigner, verifyEvent } from '@ddc/core'
import { buildEvents, type FixtureEvent, headOf } from '../fixtures.js'
import { openLevelStore } from './level.js'
import type { AppendPlan, TimelineRef, TimelineStore } from './types.js'

const engines: Record<string, (dir: string) => Promise<TimelineStore>> = {
  leveldb: (dir) => openLevelStore({ dir }),
}

let alice: LocalSigner
let bob: LocalSigner
const dirs: string[] = []

before(async () => {
  await cryptoReady()
  alice = createAccount({ uri: '//Alice' })
  bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
})
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function plan(
  ref: TimelineRef,
  events: FixtureEvent[],
  expect = events[0]!.envelope.seq === 0 ? null : undefined,
): AppendPlan {
  const first = events[0]!.envelope
  return {
    timelines: [
      {
        ref,
        expect: expect === undefined ? { seq: first.seq - 1, cid: first.prev! } : expect,
        events: events.map((e) => ({
          cid: e.cid,
          bytes: e.bytes,
          seq: e.envelope.seq,
          type: e.envelope.type,
          ts: e.envelope.ts,
          seal: e.seal,
          ...(e.body ? { body: { cid: e.envelope.body!, bytes: e.body } } : {}),
        })),
      },
    ],
    capabilities: [],
    erase: [],
  }
}

for (const [name, open] of Object.entries(engines)) {
  describe(`storage engine: ${name}`, () => {
    let store: TimelineStore
    let dir: string
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ddc-store-'))
      dirs.push(dir)
      store = await open(dir)
    })
    after(() => store.close())

    it('appends, reads back by seq, by CID and as blocks, and keeps batch seals verifiable', async () => {
      const ref = { bucket: 'b1', owner: alice.accountId }
      const evs = await buildEvents(alice, {
        bucket: 'b1',
        head: null,
        count: 20,
        type: (k) => (k % 2 ? 'click' : 'view'),
        ts: (k) => 1000 + k,
      })
      const heads = await store.apply(plan(ref, evs))
      assert.equal(heads[0]!.seq, 19)
      assert.deepEqual(await store.head(ref), headOf(evs))
      const page = await store.query(ref, { order: 'asc', limit: 7 })
      assert.deepEqual(
        page.events.map((e) => e.seq),
        [0, 1, 2, 3, 4, 5, 6],
      )
      assert.deepEqual(page.next, { seq: 6 })
      for (const e of page.events) verifyEvent({ cid: e.cid, envelope: evs[e.seq]!.envelope, seal: e.seal })
      const tail = await store.query(ref, { order: 'desc', limit: 3 })
      assert.deepEqual(
        tail.events.map((e) => e.seq),
        [19, 18, 17],
      )
      const clicks = await store.query(ref, { order: 'asc', limit: 100, type: 'click', fromSeq: 5 })
      assert.deepEqual(
        clicks.events.map((e) => e.seq),
        [5, 7, 9, 11, 13, 15, 17, 19],
      )
      const window = await store.query(ref, { order: 'desc', limit: 2, since: 1003, until: 1008, type: 'view' })
      assert.deepEqual(
        window.events.map((e) => e.seq),
        [6, 4],
      )
      assert.equal(window.next, undefined)
      const one = await store.query(ref, { order: 'asc', limit: 1, since: 1003, until: 1008, type: 'view' })
      assert.deepEqual(one.next, { seq: 4, ts: 1004 })
      const two = await store.query(ref, {
        order: 'asc',
        limit: 1,
        since: 1003,
        until: 1008,
        type: 'view',
        after: one.next!,
      })
      assert.deepEqual(
        two.events.map((e) => e.seq),
        [6],
      )
      const loc = await store.locate(evs[11]!.cid)
      assert.equal(loc?.event.seq, 11)
      assert.deepEqual(loc?.ref.owner, alice.accountId)
      const block = await store.getBlock(evs[3]!.envelope.body!)
      assert.deepEqual(block?.bytes, evs[3]!.body)
      assert.equal(block?.ref?.bucket, 'b1')
    })

    it('refuses a plan whose expected head is stale, atomically across timelines', async () => {
      const a = { bucket: 'b2', owner: alice.accountId }
      const b = { bucket: 'b2', owner: bob.accountId }
      const first = await buildEvents(alice, { bucket: 'b2', head: null, count: 2 })
      await store.apply(plan(a, first))
      const bobs = await buildEvents(bob, { bucket: 'b2', head: null, count: 2 })
      const stale = await buildEvents(alice, { bucket: 'b2', head: null, count: 1 })
      const both: AppendPlan = {
        ...plan(b, bobs),
        timelines: [...plan(b, bobs).timelines, ...plan(a, stale).timelines],
      }
      await assert.rejects(
        store.apply(both),
        (err: Error & { code?: string; details?: { head?: { seq: number } } }) => {
          return err.code === 'ERR_CONFLICT' && err.details?.head?.seq === 1
        },
      )
      assert.equal(await store.head(b), null)
      assert.equal((await store.head(a))?.seq, 1)
    })

    it('group-commits concurrent appends, lists timelines and buckets, and accounts usage', async () => {
      const owners = Array.from({ length: 12 }, (_, k) => createAccount({ uri: `//Owner${k}`, scheme: 'ed25519' }))
      const batches = await Promise.all(owners.map((o) => buildEvents(o, { bucket: 'b3', head: null, count: 3 })))
      await Promise.all(batches.map((evs, k) => store.apply(plan({ bucket: 'b3', owner: owners[k]!.accountId }, evs))))
      const listed = await store.timelines('b3', { limit: 100 })
      assert.equal(listed.length, 12)
      assert.ok(listed.every((t) => t.length === 3))
      const page = await store.timelines('b3', { limit: 5, after: listed[4]!.owner })
      assert.deepEqual(page[0]!.owner, listed[5]!.owner)
      assert.ok((await store.buckets()).includes('b3'))
      const [u] = await store.usage('b3')
      assert.equal(u!.events, 36)
      assert.ok(u!.bytesStored > 36 * 1000)
    })

    it('erases bodies named by a plan and passes a full check', async () => {
      const ref = { bucket: 'b4', owner: alice.accountId }
      const evs = await buildEvents(alice, { bucket: 'b4', head: null, count: 3, batch: false })
      const p = plan(ref, evs)
      p.erase.push({ ref, seq: 1, cid: evs[1]!.envelope.body!, bytes: evs[1]!.body!.length })
      await store.apply(p)
      assert.equal(await store.hasBlock(evs[1]!.envelope.body!), false)
      assert.equal(await store.hasBlock(evs[0]!.envelope.body!), true)
      assert.equal(await store.getBlock(cidOf(new Uint8Array([1, 2, 3]))), undefined)
      const report = await store.check()
      assert.deepEqual(report.errors, [])
      assert.ok(report.redacted >= 1)
    })

    it('keeps named records and their blocks in one durable write, lists them by prefix both ways', async () => {
      const enc = (t: string) => new TextEncoder().encode(t)
      const block = new TextEncoder().encode('a tree block')
      const cid = cidOf(block)
      await store.putRecords({
        put: [
          ['rec/a', enc('1')],
          ['rec/b', enc('2')],
          ['rec/c', enc('3')],
          ['other/a', enc('x')],
        ],
        blocks: [{ cid, bytes: block }],
      })
      await store.putRecords({ del: ['rec/b'] })
      await store.close()
      store = await open(dir) // durable across a reopen
      const [a, b, missing] = await store.getRecords(['rec/a', 'rec/b', 'rec/none'])
      assert.deepEqual([a, b, missing], [enc('1'), undefined, undefined])
      assert.deepEqual((await store.getBlock(cid))?.bytes, block)
      const names = async (q: Parameters<TimelineStore['listRecords']>[0]) =>
        (await store.listRecords(q)).map(([n]) => n)
      assert.deepEqual(await names({ prefix: 'rec/', limit: 10 }), ['rec/a', 'rec/c'])
      assert.deepEqual(await names({ prefix: 'rec/', limit: 10, reverse: true }), ['rec/c', 'rec/a'])
      assert.deepEqual(await names({ prefix: 'rec/', limit: 1, from: 'rec/b' }), ['rec/c'])
      assert.deepEqual(await names({ prefix: 'rec/', limit: 10, reverse: true, from: 'rec/b' }), ['rec/a'])
    })

    it('rewrites the bytes of a block it holds (envelope or body), and says false for one it does not', async () => {
      const ref = { bucket: 'b5', owner: alice.accountId }
      const evs = await buildEvents(alice, { bucket: 'b5', head: null, count: 2 })
      await store.apply(plan(ref, evs))
      assert.equal(await store.rewriteBlock(evs[1]!.cid, evs[1]!.bytes), true)
      assert.equal(await store.rewriteBlock(evs[1]!.envelope.body!, evs[1]!.body!), true)
      assert.deepEqual((await store.getBlock(evs[1]!.cid))?.bytes, evs[1]!.bytes)
      assert.deepEqual((await store.getBlock(evs[1]!.envelope.body!))?.bytes, evs[1]!.body)
      assert.equal(await store.rewriteBlock(cidOf(new Uint8Array([9])), new Uint8Array([9])), false)
      assert.deepEqual((await store.check()).errors, [])
    })
  })
}
