import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { browserUnavailable, bundleForBrowser, runInBrowser } from '@ddc/testing'
import { sampleBatch } from './browser.sample.js'
import { cryptoReady } from './index.js'

const skip = browserUnavailable()

describe('core in a browser', { skip }, () => {
  it('bundles without Node built-ins, signs and verifies a batch in Chromium, with the same CIDs as Node', async () => {
    const script = await bundleForBrowser(fileURLToPath(new URL('./browser.fixture.ts', import.meta.url)))
    type R = Record<
      'sr25519' | 'ed25519',
      { address: string; cids: string[]; verifications: number; last: { seq: number } }
    >
    const { result } = await runInBrowser<R>(script)
    await cryptoReady()
    for (const scheme of ['sr25519', 'ed25519'] as const) {
      const { alice, items } = sampleBatch(scheme)
      assert.equal(result[scheme].address, alice.address)
      assert.deepEqual(
        result[scheme].cids,
        items.map((i) => i.cid.toString()),
      )
      assert.equal(result[scheme].verifications, 1)
      assert.equal(result[scheme].last.seq, 9)
    }
  })
})
