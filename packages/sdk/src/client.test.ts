import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAccount, issueCapability } from '@ddc/core'
import { generateMasterKey, KeyRing, standardModule } from '@ddc/crypto'
import { DEMO_BUCKET, PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { all, counting } from './_testkit.js'
import { createClient, type ReadEvent } from './index.js'

const module = standardModule({
  scopes: {
    page_view: { scopes: { profile: ['email'], activity: ['page'], device: ['os'] }, unmapped: 'public' },
    '*': { scopes: { activity: ['payload'] }, unmapped: 'public' },
  },
})

describe('DdcClient against a real network (CLS, dev chain, 3 storage nodes)', () => {
  let net: TestNet
  const appKeys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })
  before(async () => {
    net = await startTestNet()
  })
  after(async () => {
    await net.close()
  })

  it('appends with 3 scopes and a reader holding one scope key sees the others locked', async () => {
    const bob = createClient({
      signer: createAccount({ uri: '//SdkBob' }),
      cls: net.cls,
      encryption: { module, keys: appKeys },
    })
    const data = { email: 'bob@example.com', page: '/pricing', os: 'linux', ref: 'ad' }
    const r = await bob.append(PUBLIC_BUCKET, { type: 'page_view', data })
    assert.ok(r)
    assert.equal(r.seq, 0)
    const [own] = await all(bob.events(PUBLIC_BUCKET))
    assert.deepEqual(own!.data, data)
    assert.deepEqual(own!.opened.sort(), ['activity', 'device', 'profile'])
    assert.equal(own!.cid.toString(), r.cid.toString())

    const activity = appKeys.bucketScopeTreeKey({ bucket: PUBLIC_BUCKET, scope: 'activity', epoch: 0 })!
    const reader = createClient({
      signer: createAccount({ uri: '//SdkReader' }),
      cls: net.cls,
      encryption: { module, keys: new KeyRing({ keys: [activity] }) },
    })
    const [ev] = await all(reader.events(PUBLIC_BUCKET, bob.address))
    assert.deepEqual(ev!.data, { page: '/pricing', ref: 'ad' })
    assert.deepEqual(ev!.opened, ['activity'])
    assert.deepEqual(ev!.locked.map((l) => l.scope).sort(), ['device', 'profile'])
    assert.equal(ev!.redacted, false)
    const got = await reader.get(r.cid)
    assert.equal(got.id, ev!.id)
  })

  it('appendMany of 100 events costs exactly one signRaw, and all read back verified', async () => {
    const c = counting(createAccount({ uri: '//SdkBatch' }))
    const client = createClient({ signer: c.signer, cls: net.cls, encryption: { module, keys: appKeys } })
    const events = Array.from({ length: 100 }, (_, k) => ({ type: 'page_view', data: { page: `/p/${k}`, n: k } }))
    const out = await client.appendMany(PUBLIC_BUCKET, events)
    assert.equal(c.calls, 1)
    assert.deepEqual(
      out.map((e) => e.seq),
      events.map((_, k) => k),
    )
    const read = await all(client.events(PUBLIC_BUCKET, c.signer.address, { pageSize: 30 }))
    assert.equal(read.length, 100)
    assert.deepEqual(
      read.map((e) => e.data.n),
      events.map((_, k) => k),
    )
    assert.deepEqual(
      read.map((e) => e.cid.toString()),
      out.map((e) => e.cid.toString()),
    )
    const tail = await client.tail(PUBLIC_BUCKET, c.signer.address, 5)
    assert.deepEqual(
      tail.map((e) => e.seq),
      [95, 96, 97, 98, 99],
    )
    const filtered = await all(client.events(PUBLIC_BUCKET, c.signer.address, { from: 10, to: 19, reverse: true }))
    assert.deepEqual(
      filtered.map((e) => e.seq),
      [19, 18, 17, 16, 15, 14, 13, 12, 11, 10],
    )
    const head = await client.head(PUBLIC_BUCKET)
    assert.equal(head?.length, 100)
    assert.equal((await client.verifyTimeline(PUBLIC_BUCKET)).ok, true)
  })

  it('two concurrent writers on one timeline both succeed through conflict rebase', async () => {
    const signer = createAccount({ uri: '//SdkTwoDevices' })
    const a = createClient({ signer, cls: net.cls })
    const b = createClient({ signer, cls: net.cls })
    const batches = await Promise.all([
      ...Array.from({ length: 5 }, (_, k) => a.appendMany(PUBLIC_BUCKET, [{ type: 'tap', data: { dev: 'a', k } }])),
      ...Array.from({ length: 5 }, (_, k) => b.appendMany(PUBLIC_BUCKET, [{ type: 'tap', data: { dev: 'b', k } }])),
    ])
    const seqs = batches.flat().map((e) => e.seq)
    assert.deepEqual(
      [...seqs].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    )
    // Deterministic: b's cached head is stale after a's append, so b's next append must rebase.
    const counted = counting(signer)
    const b2 = createClient({ signer: counted.signer, cls: net.cls })
    await b2.append(PUBLIC_BUCKET, { type: 'tap', data: { dev: 'b2' } })
    await a.append(PUBLIC_BUCKET, { type: 'tap', data: { dev: 'a' } })
    counted.calls = 0
    const rebased = await b2.append(PUBLIC_BUCKET, { type: 'tap', data: { dev: 'b2' } })
    assert.equal(rebased?.seq, 12)
    assert.equal(counted.calls, 2, 'signed, refused with ERR_CONFLICT, re-linked and signed again')
    const report = await a.verifyTimeline(PUBLIC_BUCKET)
    assert.deepEqual({ ok: report.ok, checked: report.checked }, { ok: true, checked: 13 })
  })

  it('reads a private bucket with signed requests (own timeline)', async () => {
    const c = createClient({
      signer: createAccount({ uri: '//SdkPrivate' }),
      cls: net.cls,
      encryption: { module, keys: appKeys },
    })
    await c.appendMany(DEMO_BUCKET, [
      { type: 'page_view', data: { page: '/a' } },
      { type: 'page_view', data: { page: '/b' } },
    ])
    const read = await all(c.events(DEMO_BUCKET))
    assert.deepEqual(
      read.map((e) => e.data.page),
      ['/a', '/b'],
    )
    const stranger = createClient({ signer: createAccount({ uri: '//SdkStranger' }), cls: net.cls })
    await assert.rejects(all(stranger.events(DEMO_BUCKET, c.address)), { code: 'ERR_UNAUTHORIZED' })
  })

  it("an app server appends to and reads users' timelines in a private bucket under a capability", async () => {
    const alice = createAccount({ uri: '//Alice' }) // owns DEMO_BUCKET
    const server = createAccount({ uri: '//SdkAppServer' })
    const cap = await issueCapability(alice, {
      aud: server.accountId,
      bucket: DEMO_BUCKET,
      ops: ['append', 'read'],
      exp: Date.now() + 60_000,
    })
    const app = createClient({
      signer: server,
      cls: net.cls,
      encryption: { module, keys: appKeys },
      readCapability: [cap],
    })
    const users = ['//SdkUserA', '//SdkUserB'].map((uri) => createAccount({ uri }))
    for (const u of users) {
      const out = await app.appendMany(DEMO_BUCKET, [{ type: 'page_view', data: { page: `/${u.address}` } }], {
        owner: u.address,
        capability: [cap],
      })
      assert.equal(out[0]!.seq, 0)
      const [ev] = await all(app.events(DEMO_BUCKET, u.address))
      assert.equal(ev!.signer, server.address)
      assert.equal(ev!.owner, u.address)
      assert.equal(ev!.data.page, `/${u.address}`)
    }
  })

  it('erase → the named events read back redacted; erase all', async () => {
    const c = createClient({
      signer: createAccount({ uri: '//SdkEraser' }),
      cls: net.cls,
      encryption: { module, keys: appKeys },
    })
    const evs = await c.appendMany(PUBLIC_BUCKET, [
      { type: 'page_view', data: { email: 'x@y.z', page: '/1' } },
      { type: 'page_view', data: { email: 'x@y.z', page: '/2' } },
    ])
    const t = await c.erase(PUBLIC_BUCKET, [evs[0]!.cid])
    assert.equal(t.seq, 2)
    let read: ReadEvent[] = await all(c.events(PUBLIC_BUCKET))
    assert.deepEqual(
      read.map((e) => e.redacted),
      [true, false, false],
    )
    assert.deepEqual(read[0]!.data, {})
    assert.equal(read[1]!.data.email, 'x@y.z')
    await c.erase(PUBLIC_BUCKET, 'all')
    read = await all(c.events(PUBLIC_BUCKET))
    assert.deepEqual(
      read.slice(0, 2).map((e) => e.redacted),
      [true, true],
    )
    assert.equal((await c.verifyTimeline(PUBLIC_BUCKET)).ok, true)
  })

  it('traversal lists the timelines of a bucket', async () => {
    const owners = ['//SdkT1', '//SdkT2', '//SdkT3'].map((uri) => createAccount({ uri }))
    for (const s of owners)
      await createClient({ signer: s, cls: net.cls }).append(PUBLIC_BUCKET, { type: 't', data: {} })
    const c = createClient({ signer: owners[0]!, cls: net.cls })
    const listed = await all(c.timelines(PUBLIC_BUCKET, { pageSize: 2 }))
    for (const s of owners) {
      const t = listed.find((x) => x.owner === s.address)
      assert.ok(t, `${s.address} is listed`)
      assert.equal(t.length, 1)
    }
    assert.equal(new Set(listed.map((t) => t.owner)).size, listed.length)
    const direct = createClient({ signer: owners[0]!, nodes: net.nodes.map((n) => n.url) })
    const listed2 = await all(direct.timelines(PUBLIC_BUCKET))
    assert.deepEqual(listed2.map((t) => t.owner).sort(), listed.map((t) => t.owner).sort())
  })

  it('share/openGrant lets a second account read exactly the granted scope', async () => {
    const owner = createClient({
      signer: createAccount({ uri: '//SdkOwner' }),
      cls: net.cls,
      encryption: { module, keys: appKeys },
    })
    await owner.append(PUBLIC_BUCKET, { type: 'page_view', data: { email: 'o@x.y', page: '/home', os: 'mac' } })
    const analyst = createClient({
      signer: createAccount({ uri: '//SdkAnalyst' }),
      cls: net.cls,
      encryption: { module, keys: new KeyRing() },
    })
    await analyst.announceKey()
    const grant = await owner.share({
      bucket: PUBLIC_BUCKET,
      scope: 'device',
      grantee: analyst.address,
      owner: owner.address,
      exp: Date.now() + 60_000,
    })
    const before = await analyst.tail(PUBLIC_BUCKET, owner.address, 1)
    assert.deepEqual(before[0]!.opened, [])
    await analyst.openGrant(grant)
    const [ev] = await analyst.tail(PUBLIC_BUCKET, owner.address, 1)
    assert.deepEqual(ev!.opened, ['device'])
    assert.deepEqual(ev!.data, { os: 'mac' })
    assert.deepEqual(ev!.locked.map((l) => l.scope).sort(), ['activity', 'profile'])
  })

  it('hooks enrich before encryption, see envelopes before signing, and redact after reading', async () => {
    const seen: string[] = []
    const c = createClient({
      signer: createAccount({ uri: '//SdkHooks' }),
      cls: net.cls,
      encryption: { module, keys: appKeys },
      hooks: {
        beforeEncrypt: (e) => (e.data.drop ? null : { ...e, data: { ...e.data, app: 'v1' } }),
        beforeSign: (envs) => void seen.push(...envs.map((x) => `sign:${x.seq}`)),
        afterAppend: (evs) => void seen.push(...evs.map((x) => `stored:${x.seq}`)),
        afterRead: (e) => ({ ...e, data: { ...e.data, email: e.data.email ? '***' : undefined } }),
      },
    })
    const out = await c.appendMany(PUBLIC_BUCKET, [
      { type: 'page_view', data: { email: 'h@x.y', page: '/1' } },
      { type: 'page_view', data: { drop: true } },
    ])
    assert.equal(out.length, 1)
    assert.deepEqual(seen, ['sign:0', 'stored:0'])
    const [ev] = await all(c.events(PUBLIC_BUCKET))
    assert.equal(ev!.data.email, '***')
    assert.equal(ev!.data.app, 'v1')
  })
})
