/** The SDK must bundle for browsers: esbuild, platform browser, no Node built-ins reachable from index.ts. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { build } from 'esbuild'

it('bundles for the browser without Node built-ins', async () => {
  const out = await build({
    entryPoints: [new URL('./index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  })
  assert.equal(out.errors.length, 0)
  const inputs = Object.keys(out.metafile.inputs)
  assert.ok(inputs.some((p) => p.endsWith('packages/sdk/src/client.ts')))
  assert.deepEqual(
    inputs.filter((p) => p.startsWith('node:') || p.includes('fastify')),
    [],
  )
})
