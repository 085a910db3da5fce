/**
 * The SDK bundle (esbuild) in headless Chromium against a real test network (dev chain, CLS, storage
 * nodes answering CORS): stores and reads back a decrypted event, and a batch of 100 events signed with
 * exactly one call of an extension-style `signRaw`, counted in the page. Node then reads what the
 * browser stored and gets the same CIDs and plaintext.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createAccount, toHex } from '@ddc/core'
import { generateMasterKey, KeyRing, standardModule } from '@ddc/crypto'
import { browserUnavailable, bundleForBrowser, runInBrowser } from '@ddc/testing'
import { PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { createClient } from './index.js'

const skip = browserUnavailable()

interface PageEvent {
  seq: number
  cid: string
  data: Record<string, unknown>
  opened: string[]
}
interface Result {
  one: { address: string; calls: number; cid: string; readCid: string; data: unknown; opened: string[] }
  batch: {
    address: string
    callsAfterAppend: number
    callsAtEnd: number
    seqs: number[]
    cids: string[]
    read: PageEvent[]
    verified: { ok: boolean; checked: number }
  }
}

describe('the SDK in a browser', { skip }, () => {
  let net: TestNet
  let result: Result
  const master = generateMasterKey()
  before(async () => {
    const [n, script] = await Promise.all([
      startTestNet({ cors: true }),
      bundleForBrowser(fileURLToPath(new URL('./browser.fixture.ts', import.meta.url))),
    ])
    net = n
    assert.ok(!/from ['"]node:/.test(script), 'the bundle imports no Node built-ins')
    const input = { nodes: net.nodes.map((x) => x.url), bucket: PUBLIC_BUCKET, master: toHex(master) }
    result = (await runInBrowser<Result>(script, { input, timeoutMs: 45_000 })).result
  })
  after(async () => {
    await net?.close()
  })

  it('stores an event from Chromium and reads it back decrypted', () => {
    const { one } = result
    assert.equal(one.address, createAccount({ uri: '//BrowserOne' }).address)
    assert.equal(one.calls, 1)
    assert.equal(one.readCid, one.cid)
    assert.deepEqual(one.data, { email: 'web@example.com', page: '/from-chromium', lang: 'en' })
    assert.deepEqual(one.opened.sort(), ['activity', 'profile'])
  })

  it('signs a batch of 100 events with exactly one extension signRaw call; all read back verified and decrypted', async () => {
    const { batch } = result
    assert.equal(batch.callsAfterAppend, 1)
    assert.equal(batch.callsAtEnd, 1, 'reading and verifying a public bucket asks the wallet nothing')
    const seqs = Array.from({ length: 100 }, (_, n) => n)
    assert.deepEqual(batch.seqs, seqs)
    assert.deepEqual(
      batch.read.map((e) => e.seq),
      seqs,
    )
    assert.deepEqual(
      batch.read.map((e) => e.cid),
      batch.cids,
    )
    for (const e of batch.read) {
      assert.deepEqual(e.data, { email: `u${e.seq}@example.com`, page: `/p/${e.seq}`, n: e.seq })
      assert.deepEqual(e.opened, ['activity', 'profile'])
    }
    assert.deepEqual(batch.verified, { ok: true, checked: 100 })

    // What the browser stored is what Node reads: same CIDs, same plaintext, from the nodes directly.
    const module = standardModule({
      scopes: { page_view: { scopes: { profile: ['email'], activity: ['page'] }, unmapped: 'public' } },
    })
    const node = createClient({
      signer: createAccount({ uri: '//NodeReader' }),
      nodes: net.nodes.map((x) => x.url), // the same placement the page computed
      encryption: { module, keys: new KeyRing({ keys: [{ level: 'master', key: master }] }) },
    })
    const tail = await node.tail(PUBLIC_BUCKET, batch.address, 3)
    assert.deepEqual(
      tail.map((e) => [e.cid.toString(), e.data.n]),
      batch.cids.slice(97).map((c, k) => [c, 97 + k]),
    )
  })
})
