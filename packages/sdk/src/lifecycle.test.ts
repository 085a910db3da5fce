/**
 * The rest of the app lifecycle against a real network: buckets and deposits on the dev chain, events
 * that also go on chain (remark with the CID, and a transfer in the same batch), session keys (one
 * wallet prompt per session, in a private bucket), grants kept in DDC (list, revoke, rotate), and
 * following a timeline as events arrive.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { devChainClient } from '@ddc/chain'
import { createAccount, issueCapability, type Signer } from '@ddc/core'
import { generateMasterKey, KeyRing, standardModule } from '@ddc/crypto'
import { DEMO_BUCKET, PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { all, counting } from './_testkit.js'
import { createClient, type ReadEvent } from './index.js'

const module = standardModule({ scopes: { '*': { scopes: { item: ['token', 'price'] }, unmapped: 'public' } } })

describe('buckets, on-chain events, sessions and following', () => {
  let net: TestNet
  const keys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })
  const alice = createAccount({ uri: '//Alice' })
  const chains: { close(): Promise<void> }[] = []
  const withChain = (signer: Signer) => {
    const chain = devChainClient({ url: net.chainUrl, signer })
    chains.push(chain)
    return createClient({ signer, cls: net.cls, chain, encryption: { module, keys } })
  }
  before(async () => {
    net = await startTestNet()
  })
  after(async () => {
    for (const c of chains) await c.close()
    await net.close()
  })

  it('creates a bucket, changes its settings, lists it, and adds to the deposit', async () => {
    const app = withChain(alice)
    const bucket = await app.createBucket({ isPublic: true, settings: { app: 'shop' } })
    assert.equal(bucket.isPublic, true)
    assert.deepEqual(bucket.settings, { app: 'shop' })
    await app.append(bucket.id, { type: 'open', data: { token: 't1' } })
    assert.equal((await app.head(bucket.id))?.length, 1)
    const changed = await app.updateBucket(bucket.id, { settings: { app: 'shop', retentionDays: 30 } })
    assert.deepEqual(changed.settings, { app: 'shop', retentionDays: 30 })
    assert.deepEqual((await app.bucket(bucket.id)).settings, changed.settings)
    assert.ok((await app.buckets()).some((b) => b.id === bucket.id))
    const before = (await app.account()).deposit
    await app.deposit(1_000n)
    assert.equal((await app.account()).deposit, before + 1_000n)
    await assert.rejects(createClient({ signer: alice, cls: net.cls }).createBucket(), { code: 'ERR_NOT_CONFIGURED' })
  })

  it('appendOnChain stores the event and puts its CID on chain with the transfer in the same batch', async () => {
    const seller = withChain(createAccount({ uri: '//Bob' }))
    const buyer = createAccount({ uri: '//Charlie' })
    const { event, remark } = await seller.appendOnChain(
      PUBLIC_BUCKET,
      { type: 'nft.transfer', data: { token: 'nft-7', price: 5, to: buyer.address } },
      { transfer: { to: buyer.address, amount: 5n } },
    )
    assert.ok(remark.cid.equals(event.cid))
    assert.equal(remark.transfer?.amount, 5n)
    assert.deepEqual(remark.transfer?.to, buyer.accountId)
    const found = await net.chain.findRemark(event.cid)
    assert.equal(found?.block.number, remark.block.number)
    const read = await seller.get(event.cid)
    assert.deepEqual(read.data, { token: 'nft-7', price: 5, to: buyer.address })
  })

  it('a session costs one wallet prompt however many batches and private reads follow', async () => {
    // The bucket owner lets Bob read and append his own timeline in the private bucket.
    const bob = counting(createAccount({ uri: '//SdkSessionBob' }))
    const cap = await issueCapability(alice, {
      aud: bob.signer.accountId,
      bucket: DEMO_BUCKET,
      tl: [bob.signer.accountId],
      ops: ['read', 'append'],
      exp: Date.now() + 600_000,
    })
    const wallet = createClient({ signer: bob.signer, cls: net.cls, encryption: { module, keys } })
    const session = await wallet.startSession({ bucket: DEMO_BUCKET, capability: [cap], ttlMs: 60_000 })
    assert.equal(bob.calls, 1)
    for (let k = 0; k < 3; k++)
      await session.appendMany(DEMO_BUCKET, [
        { type: 'view', data: { token: `a${k}` } },
        { type: 'view', data: { token: `b${k}` } },
      ])
    const read: ReadEvent[] = await all(session.events(DEMO_BUCKET))
    const tail = await session.tail(DEMO_BUCKET, bob.signer.address, 2)
    const report = await session.verifyTimeline(DEMO_BUCKET)
    assert.equal(bob.calls, 1, 'three batches, a private read, a tail and a verification: no further prompt')
    assert.deepEqual(
      read.map((e) => e.data.token),
      ['a0', 'b0', 'a1', 'b1', 'a2', 'b2'],
    )
    assert.ok(read.every((e) => e.owner === bob.signer.address && e.signer === session.address))
    assert.notEqual(session.address, bob.signer.address)
    assert.deepEqual(
      tail.map((e) => e.seq),
      [4, 5],
    )
    assert.deepEqual({ ok: report.ok, checked: report.checked }, { ok: true, checked: 6 })
    // The session covers Bob's timeline only: another timeline of the bucket stays closed to it.
    await assert.rejects(all(session.events(DEMO_BUCKET, alice.address)), { code: 'ERR_UNAUTHORIZED' })

    // The bucket owner's own session needs no parent capability.
    const owner = counting(alice)
    const ownerSession = await createClient({ signer: owner.signer, cls: net.cls }).startSession({
      bucket: DEMO_BUCKET,
    })
    await ownerSession.append(DEMO_BUCKET, { type: 'note', data: { text: 'from a session' } })
    const [mine] = await all(ownerSession.events(DEMO_BUCKET, alice.address))
    assert.equal(mine?.data.text, 'from a session')
    assert.equal(owner.calls, 1)
  })

  it('keeps grants in DDC: found by the grantee, listed and revoked by the grantor; a raised epoch locks new data', async () => {
    let epoch = 0
    const rotating = standardModule({
      scopes: { '*': { scopes: { item: ['token', 'price'] }, unmapped: 'public' } },
      epochs: () => epoch,
    })
    const appKeys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })
    const app = createClient({
      signer: createAccount({ uri: '//SdkGrantor' }),
      cls: net.cls,
      encryption: { module: rotating, keys: appKeys },
    })
    const partner = createClient({
      signer: createAccount({ uri: '//SdkGrantee' }),
      cls: net.cls,
      encryption: { module: rotating, keys: new KeyRing() },
    })
    await partner.announceKey()
    await app.append(PUBLIC_BUCKET, { type: 'sale', data: { token: 'x', price: 1, shop: 'a' } })
    const exp = Date.now() + 60_000
    await app.share({ bucket: PUBLIC_BUCKET, scope: 'item', grantee: partner.address, exp, record: true })

    // The grantee finds its grant on the grantor's timeline: DDC is the hand-over channel.
    const found = await partner.grants(PUBLIC_BUCKET, { grantor: app.address, grantee: partner.address })
    assert.equal(found.length, 1)
    const mine = found[0]!
    assert.deepEqual([mine.scope, mine.epoch, mine.exp, mine.revoked, mine.owner], ['item', 0, exp, false, undefined])
    await partner.openGrant(mine.grant)

    await app.revokeGrant(PUBLIC_BUCKET, mine.cid)
    epoch = 1 // rotate: new data is sealed under keys the grant does not reach
    await app.append(PUBLIC_BUCKET, { type: 'sale', data: { token: 'y', price: 2, shop: 'b' } })
    assert.deepEqual(
      (await app.grants(PUBLIC_BUCKET)).map((g) => [g.cid, g.revoked]),
      [[mine.cid, true]],
    )
    const sales = await all(partner.events(PUBLIC_BUCKET, app.address, { type: 'sale' }))
    assert.deepEqual(
      sales.map((e) => e.data),
      [{ token: 'x', price: 1, shop: 'a' }, { shop: 'b' }],
    )
    assert.deepEqual(
      sales[1]!.locked.map((l) => l.scope),
      ['item'],
    )
    // The app itself still reads everything (its master key derives every epoch).
    assert.deepEqual((await app.tail(PUBLIC_BUCKET, app.address, 1))[0]?.data, { token: 'y', price: 2, shop: 'b' })
  })

  it('follow delivers events as they are appended, verified and decrypted, until aborted', async () => {
    const writer = createClient({
      signer: createAccount({ uri: '//SdkFollowed' }),
      cls: net.cls,
      encryption: { module, keys },
    })
    const reader = createClient({
      signer: createAccount({ uri: '//SdkFollower' }),
      cls: net.cls,
      encryption: { module, keys },
    })
    const ac = new AbortController()
    const seen: unknown[] = []
    const following = (async () => {
      for await (const e of reader.follow(PUBLIC_BUCKET, writer.address, {
        from: 0,
        intervalMs: 20,
        signal: ac.signal,
      })) {
        seen.push(e.data.token)
        if (seen.length === 5) ac.abort(new Error('enough'))
      }
    })()
    await writer.appendMany(PUBLIC_BUCKET, [
      { type: 'v', data: { token: 1 } },
      { type: 'v', data: { token: 2 } },
    ])
    await writer.append(PUBLIC_BUCKET, { type: 'v', data: { token: 3 } })
    await writer.appendMany(PUBLIC_BUCKET, [
      { type: 'v', data: { token: 4 } },
      { type: 'v', data: { token: 5 } },
    ])
    await assert.rejects(following, /enough/)
    assert.deepEqual(seen, [1, 2, 3, 4, 5])
  })
})
