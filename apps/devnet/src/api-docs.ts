/**
 * The API reference of every service the devnet runs (docs/api/<service>.md), rendered from each
 * service's own OpenAPI document. `npm run docs:api` rewrites the files; api-docs.test.ts fails when
 * they no longer match the code.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCryptoService } from '@ddc/crypto-service'
import { type OpenApiDocument, renderApiReference, type Service } from '@ddc/service'
import { startTestNet } from '@ddc/testing/testnet'
import { createViewer } from '@ddc/viewer'

export const API_DOCS_DIR = resolve(fileURLToPath(new URL('../../../docs/api', import.meta.url)))

const INTRO =
  'Every error answer is `{code, message, details?}` with a stable `code` (see docs/architecture.md, ' +
  '"Errors"). The live document is served by the running service at `/openapi.json`, with Swagger UI ' +
  'at `/docs`.'

async function openApiOf(url: string): Promise<OpenApiDocument> {
  const res = await fetch(`${url}/openapi.json`)
  if (!res.ok) throw new Error(`${url}/openapi.json answered ${res.status}`)
  return (await res.json()) as OpenApiDocument
}

async function injectedOpenApi(app: Service): Promise<OpenApiDocument> {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  return res.json() as OpenApiDocument
}

/** Starts every service (in this process, on 127.0.0.1) and renders each reference: name → Markdown. */
export async function renderApiDocs(): Promise<Map<string, string>> {
  // Replication on, so the peer-only routes are documented too.
  const net = await startTestNet({ nodes: 1, replication: true })
  const crypto = await createCryptoService({ accountUri: '//DdcCrypto', logger: false, defaultMetrics: false })
  const viewer = await createViewer({ chain: net.chainUrl, cls: net.cls, logger: false, defaultMetrics: false })
  try {
    const docs: [string, OpenApiDocument][] = [
      ['storage-node', await openApiOf(net.nodes[0]!.url)],
      ['chain-node', await openApiOf(net.chainUrl)],
      ['cls', await openApiOf(net.cls)],
      ['crypto-service', await injectedOpenApi(crypto)],
      ['viewer', await injectedOpenApi(viewer)],
    ]
    return new Map(docs.map(([name, doc]) => [name, renderApiReference(doc, { intro: INTRO })]))
  } finally {
    await viewer.close()
    await crypto.close()
    await net.close()
  }
}

/** Files under docs/api that differ from what the code renders. */
export function staleApiDocs(rendered: Map<string, string>): string[] {
  const stale: string[] = []
  for (const [name, text] of rendered) {
    let current = ''
    try {
      current = readFileSync(join(API_DOCS_DIR, `${name}.md`), 'utf8')
    } catch {}
    if (current !== text) stale.push(`docs/api/${name}.md`)
  }
  return stale
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rendered = await renderApiDocs()
  if (process.argv.includes('--check')) {
    const stale = staleApiDocs(rendered)
    if (stale.length) {
      console.error(`out of date: ${stale.join(', ')}; run npm run docs:api`)
      process.exit(1)
    }
  } else {
    for (const [name, text] of rendered) writeFileSync(join(API_DOCS_DIR, `${name}.md`), text)
    console.log(`wrote ${[...rendered.keys()].map((n) => `docs/api/${n}.md`).join(', ')}`)
  }
}
