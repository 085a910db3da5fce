// Smoke test of `npm start`: the devnet's real processes start, an event stored through the public
// APIs reads back from another replica, every service answers, and stop leaves no process behind.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createAccount, cryptoReady } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import { type Devnet, startDevnet } from './index.js'

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..')

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('devnet', () => {
  let devnet: Devnet
  const dir = mkdtempSync(join(tmpdir(), 'ddc-devnet-'))

  before(async () => {
    await cryptoReady()
    devnet = await startDevnet({
      dataDir: dir,
      basePort: 20_000 + Math.floor(Math.random() * 20_000),
      blockIntervalMs: 200,
      logLevel: 'warn',
    })
  })
  after(async () => {
    await devnet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs every service as its own healthy process and writes devnet.json', async () => {
    const info = JSON.parse(readFileSync(join(dir, 'devnet.json'), 'utf8'))
    assert.deepEqual(info, devnet.info)
    for (const url of [info.chain, info.cls, info.crypto, info.viewer, ...info.storage]) {
      const res = await fetch(`${url}/health`)
      assert.equal(res.status, 200, `${url}/health`)
    }
    assert.equal(info.storage.length, 3)
  })

  it('stores an event through the CLS-located replicas and reads it back verified', async () => {
    const alice = createClient({ signer: createAccount({ uri: '//Alice' }), cls: devnet.info.cls })
    const [stored] = await alice.appendMany(devnet.info.demoBucket, [{ type: 'smoke', data: { hello: 'devnet' } }])
    assert.ok(stored)
    const [back] = await alice.tail(devnet.info.demoBucket, alice.address, 1)
    assert.equal(back?.cid.toString(), stored.cid.toString())
    assert.deepEqual(back?.data, { hello: 'devnet' })

    // The first replica took the write; another replica serves it too (replicated before the ack,
    // or by its background push moments later).
    const loc = (await (
      await fetch(`${devnet.info.cls}/v1/locate/${devnet.info.demoBucket}/${alice.address}`)
    ).json()) as { replicas: { endpoint: string | null }[] }
    const first = loc.replicas[0]?.endpoint
    const other = devnet.info.storage.find((u: string) => u !== first)!
    const reader = createClient({ signer: createAccount({ uri: '//Alice' }), nodes: [other] })
    let there: Awaited<ReturnType<typeof reader.tail>> = []
    for (let k = 0; k < 50 && there[0]?.cid.toString() !== stored.cid.toString(); k++) {
      if (k) await new Promise((r) => setTimeout(r, 200))
      there = await reader.tail(devnet.info.demoBucket, alice.address, 1)
    }
    assert.equal(there[0]?.cid.toString(), stored.cid.toString(), `read back from ${other}, not ${first}`)
    assert.deepEqual(there[0]?.data, { hello: 'devnet' })
  })

  it("runs the README's code example against it", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const block = readme.split('## Using it from code')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1]
    assert.ok(block, 'README has a ts block under "Using it from code"')
    assert.ok(block.includes("'http://127.0.0.1:8701'"), 'the example names the default CLS URL')
    const file = join(repoRoot, 'apps', 'devnet', `.readme-example-${process.pid}.ts`)
    writeFileSync(file, block.replace("'http://127.0.0.1:8701'", JSON.stringify(devnet.info.cls)))
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 })
      assert.match(out, /page_view \{ page: '\/pricing' \}/)
    } finally {
      rmSync(file, { force: true })
    }
  })

  it('serves the viewer over the same chain', async () => {
    const res = await fetch(`${devnet.info.viewer}/api/overview`)
    assert.equal(res.status, 200)
    const body = (await res.json()) as { chain?: { name?: string } }
    assert.match(JSON.stringify(body), /DDC Dev Chain/)
  })

  it('stops every process it started', async () => {
    const pids = Object.keys(devnet.info.logs).length
    assert.equal(pids, 7)
    const children = devnet.pids
    assert.equal(children.length, 7)
    await devnet.stop()
    for (const pid of children) assert.ok(!alive(pid), `process ${pid} still running`)
    for (const url of devnet.info.storage)
      await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }))
  })
})
