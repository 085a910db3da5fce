/** Runs examples/quickstart.ts against a real network and checks README.md shows it verbatim. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, it } from 'node:test'
import { PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { quickstart } from '../examples/quickstart.js'

let net: TestNet
before(async () => {
  net = await startTestNet()
})
after(async () => {
  await net.close()
})

it('the quick start runs', async () => {
  const log = console.log
  console.log = () => {}
  try {
    const { stored, analystData, report } = await quickstart(net.cls, PUBLIC_BUCKET)
    assert.equal(stored.length, 2)
    assert.deepEqual(analystData, { page: '/checkout', lang: 'en' })
    assert.equal(report.ok, true)
  } finally {
    console.log = log
  }
})

it('README shows examples/quickstart.ts verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const example = readFileSync(new URL('../examples/quickstart.ts', import.meta.url), 'utf8')
  const block = /<!-- quickstart -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  assert.equal(block, example)
})
