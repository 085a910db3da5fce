/**
 * Runs a browser bundle of our packages in Debian's headless Chromium through playwright-core, so
 * "works in a browser" is tested, not assumed. Without Chromium the caller gets `null` and should skip
 * with the reason; CI sets DDC_REQUIRE_BROWSER=1 so a missing browser fails instead.
 */
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.DDC_CHROMIUM ?? '/usr/bin/chromium'
/** Flags for Chromium on a closed network as root: no sandbox, no background calls home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Launches Debian's Chromium headless with the flags this machine needs. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true })
}

/** Why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set DDC_CHROMIUM)`
  if (process.env.DDC_REQUIRE_BROWSER === '1') throw new Error(reason)
  return reason
}

/** Bundles `entry` for the browser (no Node built-ins allowed) and returns the script text. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  return out.outputFiles[0]!.text
}

export interface BrowserRun<T> {
  result: T
  console: string[]
}

/**
 * Serves a page with `script` on 127.0.0.1, opens it in headless Chromium and resolves with what the
 * script assigns to `window.__result` (it must set `window.__done = true`, or `window.__error`).
 * `input` (JSON) is `window.__input` before the script runs (e.g. the URLs of a test network).
 */
export async function runInBrowser<T>(
  script: string,
  opts: { timeoutMs?: number; allowOrigins?: string[]; input?: unknown } = {},
): Promise<BrowserRun<T>> {
  const input =
    opts.input === undefined
      ? ''
      : `<script>window.__input=${JSON.stringify(opts.input).replaceAll('<', '\\u003c')}</script>`
  const html = `<!doctype html><meta charset="utf-8"><title>ddc test</title>${input}<script type="module" src="/app.js"></script>`
  const server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(script)
    } else {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(html)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const browser = await launchChromium()
  const logs: string[] = []
  try {
    const page = await browser.newPage()
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`))
    await page.goto(`http://127.0.0.1:${port}/`)
    await page.waitForFunction('window.__done === true || window.__error !== undefined', undefined, {
      timeout: opts.timeoutMs ?? 30_000,
    })
    const error = await page.evaluate('window.__error')
    if (error !== undefined) throw new Error(`browser script failed: ${String(error)}\n${logs.join('\n')}`)
    return { result: (await page.evaluate('window.__result')) as T, console: logs }
  } finally {
    await browser.close()
    server.close()
  }
}
