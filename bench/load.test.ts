import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { formatSummary, runLoad } from './load.js'

describe('bench:load against a real test network (CLS, dev chain, 3 storage nodes)', () => {
  let net: TestNet
  before(async () => {
    net = await startTestNet()
  })
  after(async () => {
    await net.close()
  })

  const base = {
    bucket: PUBLIC_BUCKET,
    durationMs: 20_000,
    concurrency: 2,
    users: 4,
    eventBytes: 256,
    scopes: 3,
    scheme: 'ed25519' as const,
    batch: 20,
  }

  it('drives per-event appends and tail reads through the CLS, bounded by a count, with no errors', async () => {
    const lines: string[] = []
    const s = await runLoad({
      ...base,
      cls: net.cls,
      writes: 0.7,
      mode: 'per-event',
      maxOps: 30,
      progress: (l) => lines.push(l),
    })
    assert.equal(s.ops, 30)
    assert.deepEqual(s.errors, {})
    assert.equal(s.events + s.reads, 30)
    assert.ok(s.events > 0 && s.reads > 0)
    assert.equal(s.write.count, s.events)
    assert.match(formatSummary(s), /errors: none/)
  })

  it('sends batch-signed appends at a fixed rate to explicit node URLs', async () => {
    const s = await runLoad({
      ...base,
      nodes: net.nodes.map((n) => n.url),
      writes: 1,
      mode: 'batch',
      rate: 20,
      maxOps: 8,
    })
    assert.equal(s.ops, 8)
    assert.deepEqual(s.errors, {})
    assert.equal(s.events, 8 * 20)
  })

  it('counts refusals by their code instead of stopping', async () => {
    // Bucket 'nope' does not exist: every append is refused by the node with a stable code.
    const s = await runLoad({ ...base, bucket: 'nope', cls: net.cls, writes: 1, mode: 'per-event', maxOps: 3 })
    assert.equal(s.events, 0)
    const codes = Object.keys(s.errors)
    assert.equal(codes.length, 1)
    assert.match(codes[0]!, /^ERR_/)
    assert.equal(s.errors[codes[0]!], 3)
  })
})
