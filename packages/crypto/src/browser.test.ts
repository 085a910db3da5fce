import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { browserUnavailable, bundleForBrowser, runInBrowser } from '@ddc/testing'

const skip = browserUnavailable()

describe('the encryption module in a browser', { skip }, () => {
  it('seals a 3-scope event, shares one scope by grant and opens exactly that scope, in Chromium', async () => {
    const script = await bundleForBrowser(fileURLToPath(new URL('./browser.fixture.ts', import.meta.url)))
    assert.ok(!/from ['"]node:/.test(script), 'the bundle imports no Node built-ins')
    type R = { all: unknown; opened: string[]; partial: unknown; locked: string[] }
    const { result } = await runInBrowser<R>(script)
    assert.deepEqual(result.all, { email: 'b@x.io', page: '/', ctx: { os: 'linux' }, lang: 'en' })
    assert.deepEqual(result.opened.sort(), ['activity', 'device', 'profile'])
    assert.deepEqual(result.partial, { page: '/', lang: 'en' })
    assert.deepEqual(result.locked, ['device', 'profile'])
  })
})
