/**
 * `ddc verify` with anchors: the real binary against a dev chain and a storage node that anchors with
 * its own key (//DdcNode1). Before the anchor, events are listed as not yet anchored (exit 5 with
 * --require-anchored); after it, they are covered; a forged proof exits 5 with ERR_BAD_PROOF.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { cachedBuckets, devChainClient } from '@ddc/chain'
import { type ChainNode, devNodeUri } from '@ddc/chain-node'
import { createAccount, cryptoReady } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import { createStorageNode, type StorageNode } from '@ddc/storage-node'
import { rewritingProxy, type TestProxy } from '@ddc/testing'
import { startDevChain } from '@ddc/testing/testnet'

const BIN = fileURLToPath(new URL('../bin/ddc.js', import.meta.url))

let dir: string
let chainNode: ChainNode
let chainUrl: string
let node: StorageNode
let nodeUrl: string
let forging = false
let proxy: TestProxy
const alice = createAccount({ uri: '//Alice' })
const BUCKET = '2'

function ddc(args: string[], nodes = nodeUrl): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, DDC_NODES: nodes, DDC_CHAIN: chainUrl, DDC_ACCOUNT: '//Alice' },
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    )
  })
}

before(async () => {
  await cryptoReady()
  dir = mkdtempSync(join(tmpdir(), 'ddc-cli-verify-'))
  ;({ chainNode, chainUrl } = await startDevChain({ dir, publicBucket: BUCKET }))
  node = await createStorageNode({
    dataDir: join(dir, 'node'),
    buckets: cachedBuckets(devChainClient({ url: chainUrl })),
    verifyWorkers: 0,
    defaultMetrics: false,
    chain: devChainClient({ url: chainUrl, signer: createAccount({ uri: devNodeUri(1) }) }),
    anchor: { periodMs: 3_600_000 }, // rounds run by the test
  })
  nodeUrl = await node.app.listen({ host: '127.0.0.1', port: 0 })
  // Passes reads through to the node; while `forging`, adds a Merkle path element to the anchor proof.
  proxy = await rewritingProxy(nodeUrl, (path, body, status) => {
    if (!forging || status >= 300 || !path.endsWith('/anchor')) return body
    const a = JSON.parse(new TextDecoder().decode(body))
    a.proof.path.push(`0x${'00'.repeat(32)}`)
    return new TextEncoder().encode(JSON.stringify(a))
  })
})

after(async () => {
  await proxy.close()
  await node.close()
  await chainNode.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('ddc verify with anchors', () => {
  it('lists events not yet anchored, and fails with --require-anchored', async () => {
    const client = createClient({ signer: alice, nodes: [nodeUrl] })
    await client.appendMany(BUCKET, [
      { type: 'note', data: { n: 1 } },
      { type: 'note', data: { n: 2 } },
    ])
    const r = await ddc(['verify', BUCKET, alice.address, '--require-anchored', '--json'])
    assert.equal(r.code, 5, r.stderr)
    const out = JSON.parse(r.stdout)
    assert.equal(out.ok, false)
    assert.equal(out.anchorsChecked, true)
    assert.equal(out.timelines[0].anchor, null)
    assert.deepEqual(out.timelines[0].unanchored, { from: 0, count: 2 })
    assert.match(r.stderr, /at seq 0 .*\(ERR_NOT_ANCHORED\)/)
  })

  it('shows the anchor once the node anchored, and exits 5 on a forged proof', async () => {
    const record = await node.anchorer!.anchorNow()
    assert.ok(record)
    const r = await ddc(['verify', BUCKET, alice.address])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`≤ 1 in block #${record.block.number}`))
    assert.match(r.stdout, /2 covered by anchors in finalized blocks, 0 not yet anchored/)

    forging = true
    try {
      const forged = await ddc(['verify', BUCKET, alice.address], proxy.url)
      assert.equal(forged.code, 5, forged.stdout)
      assert.match(forged.stderr, /\(ERR_BAD_PROOF\)/)
    } finally {
      forging = false
    }
  })
})
