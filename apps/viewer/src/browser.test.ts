/**
 * The viewer in headless Chromium (Debian's, through playwright-core): the overview shows the chain name
 * and the latest block, and a timeline page shows the events appended with the SDK. Skipped, with the
 * reason, where no Chromium is installed (DDC_REQUIRE_BROWSER=1 makes that a failure).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import { browserUnavailable, launchChromium } from '@ddc/testing'
import { PUBLIC_BUCKET, startViewerNet, type ViewerNet } from './_testnet.js'

const skip = browserUnavailable()
let net: ViewerNet
let url: string
before(async () => {
  if (skip) return
  net = await startViewerNet()
  url = await net.viewer.listen({ host: '127.0.0.1', port: 0 })
})
after(async () => {
  await net?.close()
})

it('shows the overview and a timeline in a browser', { skip, timeout: 60_000 }, async () => {
  // DDC_VIEWER_SHOTS=<dir> keeps the screenshots there (to look at them); by default a temp dir, removed.
  const keep = process.env.DDC_VIEWER_SHOTS
  const shots = keep ?? mkdtempSync(join(tmpdir(), 'ddc-viewer-shots-'))
  const browser = await launchChromium()
  const logs: string[] = []
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`))
    await page.goto(`${url}/`)
    await page.waitForSelector('main[data-page="overview"] #chain-name', { timeout: 15_000 })
    assert.equal(await page.textContent('#chain-name'), 'DDC Dev Chain')
    const best = (await page.textContent('#best-block')) ?? ''
    assert.match(best, /^#\d+$/)
    assert.ok(Number(best.slice(1)) >= 1)
    assert.match((await page.textContent('main')) ?? '', /dev-cluster/)

    await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true })
    await page.goto(`${url}/#/timeline/${PUBLIC_BUCKET}/${net.owner}`)
    await page.waitForSelector('main[data-page="timeline"] table tbody tr', { timeout: 15_000 })
    const rows = await page.$$eval('main[data-page="timeline"] table tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    )
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['2', 'click'],
        ['1', 'page_view'],
        ['0', 'page_view'],
      ],
    )
    const file = join(shots, 'timeline.png')
    await page.screenshot({ path: file, fullPage: true })
    const png = readFileSync(file)
    assert.ok(png.length > 1000)
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]) // "PNG"

    // The search box takes a CID to the event page.
    await page.fill('#q', net.cids[0]!)
    await page.press('#q', 'Enter')
    await page.waitForSelector('#raw-link', { timeout: 15_000 })
    await page.screenshot({ path: join(shots, 'event.png'), fullPage: true })
    assert.match((await page.getAttribute('#raw-link', 'href')) ?? '', new RegExp(`/ipfs/${net.cids[0]}`))
    assert.deepEqual(logs, [])
  } finally {
    await browser.close()
    if (!keep) rmSync(shots, { recursive: true, force: true })
  }
})
