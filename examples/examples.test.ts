/**
 * Runs every use-case example against a real network started here (dev chain, CLS, three storage
 * nodes) and checks what each printed and returned, and how a program finds the network.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startTestNet, type TestNet } from '@ddc/testing/testnet'
import * as extraction from './app-extraction.js'
import * as journey from './customer-journey.js'
import * as removal from './data-removal.js'
import { type Network, networkFromEnv } from './network.js'
import * as nft from './nft-provenance.js'
import * as partner from './partner-scope.js'

describe('use-case examples', () => {
  let testnet: TestNet
  let net: Network
  const printed: string[] = []
  const log = (...a: unknown[]) => printed.push(a.map(String).join(' '))
  before(async () => {
    testnet = await startTestNet()
    net = { cls: testnet.cls, chain: testnet.chainUrl }
    printed.length = 0
  })
  after(async () => {
    await testnet?.close()
  })

  it('customer journey: five steps captured in one batch, read back in order with their scopes open', async () => {
    printed.length = 0
    const r = await journey.main(net, log)
    assert.equal(r.batches, 1)
    assert.deepEqual(
      r.journey.map((e) => e.type),
      ['page_view', 'page_view', 'add_to_cart', 'page_view', 'checkout'],
    )
    assert.deepEqual(r.journey[4]?.data, { email: 'dave@example.com', total: 89, card_last4: '4242', currency: 'EUR' })
    assert.deepEqual(r.journey[2]?.opened.sort(), ['activity', 'purchase'])
    assert.deepEqual(r.checkouts, [4])
    assert.equal(r.report.ok, true)
    assert.ok(printed.includes('captured 5 events in 1 batch(es)'))
  })

  it('partner: sees the activity scope of every customer, never profile or purchase', async () => {
    printed.length = 0
    const r = await partner.main(net, log)
    assert.equal(r.seen.length, 4)
    assert.equal(new Set(r.seen.map((s) => s.owner)).size, 2)
    for (const s of r.seen) {
      assert.deepEqual(s.opened, ['activity'])
      assert.deepEqual(s.data, s.type === 'page_view' ? { page: '/shoes' } : { sku: 'SHOE-42' })
      assert.deepEqual(s.locked, s.type === 'page_view' ? ['profile'] : ['purchase'])
    }
    assert.ok(!printed.join('\n').includes('@example.com'), 'no email reaches the partner')
  })

  it('per-application extraction: every user of the bucket, one decrypted row per event', async () => {
    printed.length = 0
    const r = await extraction.main(net, log)
    assert.equal(r.users, 3)
    assert.equal(r.rows.length, 6)
    assert.deepEqual(r.rows.map((x) => x.page).sort(), ['/p0', '/p0', '/p0', '/p1', '/p1', '/p2'])
    assert.deepEqual(
      printed.map((l) => JSON.parse(l).email),
      r.rows.map((x) => x.email),
    )
  })

  it('NFT provenance: mint and purchase are in DDC and on chain, the payment matching the event', async () => {
    printed.length = 0
    const r = await nft.main(net, log)
    assert.ok(r.mint.remark.cid.equals(r.mint.event.cid))
    assert.equal(r.purchase.remark.transfer?.amount, 25n)
    assert.deepEqual(
      r.audit.map((a) => [a.type, a.paid, typeof a.block]),
      [
        ['nft.mint', true, 'number'],
        ['nft.purchase', true, 'number'],
      ],
    )
    assert.ok(printed.some((l) => /^nft\.purchase by \w+ on chain at block \d+ payment matches the event$/.test(l)))
    const balance = await testnet.chain.findRemark(r.purchase.event.cid)
    assert.equal(balance?.block.number, r.purchase.remark.block.number)
  })

  it('user data removal: erased events read back redacted and the timeline still verifies', async () => {
    printed.length = 0
    const r = await removal.main(net, log)
    assert.deepEqual(
      r.afterOne.map((e) => e.redacted),
      [true, false, false, false],
    )
    assert.deepEqual(r.afterOne[0]?.data, {})
    assert.equal(r.afterOne[1]?.data.card_last4, '1111')
    // Everything before the second tombstone is gone, except the first tombstone (it holds no data).
    assert.deepEqual(
      r.afterAll.map((e) => e.redacted),
      [true, true, true, false, false],
    )
    assert.equal(r.afterAll[3]?.type, r.afterAll[4]?.type)
    assert.deepEqual({ ok: r.report.ok, checked: r.report.checked }, { ok: true, checked: 5 })
    assert.match(printed.at(-1) ?? '', /^timeline still verifies: true \(5 envelopes\)$/)
  })

  it('examples find the network from --cls/--chain, else DDC_CLS/DDC_CHAIN, else .ddc/devnet.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddc-examples-'))
    const saved = { ...process.env }
    try {
      writeFileSync(join(dir, 'devnet.json'), JSON.stringify({ cls: 'http://file:1', chain: 'http://file:2' }))
      process.env.DDC_DEVNET_FILE = join(dir, 'devnet.json')
      delete process.env.DDC_CLS
      delete process.env.DDC_CHAIN
      assert.deepEqual(networkFromEnv([]), { cls: 'http://file:1', chain: 'http://file:2' })
      process.env.DDC_CLS = 'http://env:1'
      assert.deepEqual(networkFromEnv([]), { cls: 'http://env:1', chain: 'http://file:2' })
      assert.deepEqual(networkFromEnv(['--cls', 'http://a:1', '--chain', 'http://a:2']), {
        cls: 'http://a:1',
        chain: 'http://a:2',
      })
      process.env.DDC_DEVNET_FILE = join(dir, 'missing.json')
      delete process.env.DDC_CLS
      assert.throws(() => networkFromEnv([]), /npm start/)
    } finally {
      process.env = saved
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
