import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const example = fileURLToPath(new URL('./usage.ts', import.meta.url))

describe('usage example', () => {
  it('runs, and the analyst reads the granted scope while the other stays locked', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', example], { encoding: 'utf8' })
    assert.equal(run.status, 0, run.stderr)
    assert.match(run.stdout, /analyst reads \{ ctx: \{ lang: 'en', os: 'linux' \}, page: '\/pricing' \}/)
    assert.match(run.stdout, /locked \[ \{ scope: 'profile', reason: 'no-key' \} \]/)
  })

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const block = /<!-- usage -->\n```ts\n([\s\S]*?)```/.exec(readme)
    assert.ok(block, 'README has a ```ts block after <!-- usage -->')
    assert.equal(block[1], readFileSync(example, 'utf8'))
  })
})
