/**
 * verifyTimeline on good data, and on answers a tiny proxy tampers with (one flipped byte); with a
 * chain, against anchors made by real storage nodes on a real dev chain (rewritten history, forged
 * paths and roots).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Chain, cachedBuckets, devChainClient } from '@ddc/chain'
import { devNodeUri } from '@ddc/chain-node'
import {
  type AnchorProofJson,
  anchorProofFromJson,
  anchorProofToJson,
  buildAnchorTree,
  createAccount,
  decodeCanonical,
  encodeCanonical,
  fromUtf8,
  utf8,
  verifyAnchorProof,
} from '@ddc/core'
import { createStorageNode, type StorageNode } from '@ddc/storage-node'
import { rewritingProxy, type TestProxy } from '@ddc/testing'
import { PUBLIC_BUCKET, startDevChain, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { createClient, type WireEvent } from './index.js'

type Tamper = ((page: { events: WireEvent[] }) => void) | undefined
/** Rewrites a successful answer's body (url: the request path and query). */
type Rewrite = (url: string, body: Uint8Array) => Uint8Array

/** A Rewrite that passes DAG-CBOR event pages through `tamper`. */
const pages =
  (tamper: NonNullable<Tamper>): Rewrite =>
  (url, body) => {
    if (!url.includes('/events?')) return body
    const page = decodeCanonical<{ events: WireEvent[] }>(body, 1 << 26)
    tamper(page)
    return encodeCanonical(page)
  }

/** Forwards everything to `target` (or where it routes the path); rewrites good answers through `get()`. */
const proxy = (target: string | ((url: string) => string), get: () => Rewrite | undefined) =>
  rewritingProxy(target, (url, body, status) => {
    const rewrite = get()
    return rewrite && status < 300 ? rewrite(url, body) : body
  })

/** Flips one byte inside the event id text of the envelope at `seq` (it still decodes). */
function flipId(seq: number) {
  return (page: { events: WireEvent[] }) => {
    const e = page.events.find((x) => {
      const env = decodeCanonical<{ seq: number }>(x.env)
      return env.seq === seq
    })!
    const text = new TextEncoder().encode(`ev-${seq}`)
    const at = e.env.findIndex((_, k) => text.every((b, j) => e.env[k + j] === b))
    const env = e.env.slice()
    env[at + 1] = env[at + 1]! ^ 0x01 // 'v' → 'w'
    e.env = env
  }
}

describe('verifyTimeline', () => {
  let net: TestNet
  let px: TestProxy
  let tamper: Tamper
  before(async () => {
    net = await startTestNet()
    px = await proxy(net.nodes[0]!.url, () => tamper && pages(tamper))
  })
  after(async () => {
    await px.close()
    await net.close()
  })

  it('passes on good data and names the first failure on a tampered answer', async () => {
    const signer = createAccount({ uri: '//SdkVerify' })
    const client = createClient({ signer, nodes: [px.url] })
    await client.appendMany(
      PUBLIC_BUCKET,
      Array.from({ length: 6 }, (_, k) => ({ id: `ev-${k}`, type: 'tap', data: { k } })),
    )
    const good = await client.verifyTimeline(PUBLIC_BUCKET)
    assert.deepEqual(good, { ok: true, checked: 6, head: good.head })
    assert.equal(good.head?.cid, (await client.head(PUBLIC_BUCKET))?.cid.toString())

    tamper = flipId(3)
    const bad = await client.verifyTimeline(PUBLIC_BUCKET)
    assert.equal(bad.ok, false)
    assert.equal(bad.checked, 3)
    assert.equal(bad.failure?.code, 'ERR_BAD_SIGNATURE')
    assert.equal(bad.failure?.seq, 3)
    assert.equal(bad.failure?.node, px.url)
    // Reads refuse the same answer with the same typed error.
    await assert.rejects(
      (async () => {
        for await (const _ of client.events(PUBLIC_BUCKET));
      })(),
      { code: 'ERR_BAD_SIGNATURE' },
    )

    tamper = (page) => {
      page.events[2]!.body = new Uint8Array([0xa0]) // a body block that is not the one the envelope names
    }
    const wrongBody = await client.verifyTimeline(PUBLIC_BUCKET)
    assert.equal(wrongBody.failure?.code, 'ERR_CID_MISMATCH')
    assert.equal(wrongBody.failure?.seq, 2)

    tamper = (page) => {
      page.events.splice(4, 1) // drop an event: a gap
    }
    const gap = await client.verifyTimeline(PUBLIC_BUCKET)
    assert.equal(gap.failure?.code, 'ERR_BAD_LINK')
    assert.equal(gap.checked, 4)
    tamper = undefined
  })
})

/** A dev chain and two storage nodes: A anchors with //DdcNode1 (rounds run by the test), B does not. */
async function anchoredNet() {
  const dir = mkdtempSync(join(tmpdir(), 'ddc-sdk-anchor-'))
  const { chainNode, chainUrl } = await startDevChain({ dir })
  const start = async (name: string, anchors: boolean): Promise<{ node: StorageNode; url: string }> => {
    const node = await createStorageNode({
      dataDir: join(dir, name),
      buckets: cachedBuckets(devChainClient({ url: chainUrl })),
      verifyWorkers: 0,
      defaultMetrics: false,
      ...(anchors
        ? {
            chain: devChainClient({ url: chainUrl, signer: createAccount({ uri: devNodeUri(1) }) }),
            anchor: { periodMs: 3_600_000 },
          }
        : {}),
    })
    return { node, url: await node.app.listen({ host: '127.0.0.1', port: 0 }) }
  }
  const a = await start('a', true)
  const b = await start('b', false)
  const chain: Chain = devChainClient({ url: chainUrl })
  return {
    a,
    b,
    chain,
    async close() {
      await a.node.close()
      await b.node.close()
      await chainNode.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

type AnchorAnswer = { proof: AnchorProofJson; anchor: { block: { number: number } } }

/** A Rewrite of the `/anchor` answer (JSON). */
const anchorAnswer =
  (fn: (a: AnchorAnswer) => void): Rewrite =>
  (url, body) => {
    if (!url.endsWith('/anchor')) return body
    const a = JSON.parse(fromUtf8(body)) as AnchorAnswer
    fn(a)
    return utf8(JSON.stringify(a))
  }

describe('verifyTimeline with anchors on chain', () => {
  let net: Awaited<ReturnType<typeof anchoredNet>>
  let px: TestProxy
  let rewrite: Rewrite | undefined
  /** Where the proxy sends event reads: node A (the anchored history) or B (a fork). */
  let reads: 'a' | 'b' = 'a'
  const signer = createAccount({ uri: '//SdkAnchor' })
  before(async () => {
    net = await anchoredNet()
    px = await proxy(
      (url) => (url.endsWith('/anchor') || reads === 'a' ? net.a.url : net.b.url),
      () => rewrite,
    )
  })
  after(async () => {
    await px.close()
    await net.close()
  })

  it('append → anchored → the node proof and verify pass; newer events are reported not yet anchored', async () => {
    const client = createClient({ signer, nodes: [px.url] })
    const other = createClient({ signer: createAccount({ uri: '//SdkAnchorOther' }), nodes: [net.a.url] })
    const batch = (n: number, from = 0) =>
      Array.from({ length: n }, (_, k) => ({ id: `ev-${from + k}`, type: 'tap', data: { k: from + k } }))
    await client.appendMany(PUBLIC_BUCKET, batch(4))
    await other.appendMany(PUBLIC_BUCKET, batch(1)) // a second leaf: the tree has a real path

    const before = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, { chain: net.chain })
    assert.equal(before.ok, true)
    assert.equal(before.anchor, null)
    assert.deepEqual(before.unanchored, { from: 0, count: 4 })
    const strict = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, {
      chain: net.chain,
      requireAnchored: true,
    })
    assert.equal(strict.ok, false)
    assert.equal(strict.failure?.code, 'ERR_NOT_ANCHORED')
    assert.equal(strict.failure?.seq, 0)

    const record = await net.a.node.anchorer!.anchorNow()
    assert.equal(record?.count, 2)
    await client.appendMany(PUBLIC_BUCKET, batch(2, 4))

    // The node API: a proof for seq 1 that checks alone and against the chain.
    const res = await fetch(`${net.a.url}/buckets/${PUBLIC_BUCKET}/timelines/${signer.address}/proofs/1`)
    assert.equal(res.status, 200)
    const answer = (await res.json()) as AnchorAnswer
    const proof = anchorProofFromJson(answer.proof)
    assert.equal(verifyAnchorProof(proof).count, 2)
    assert.equal(proof.path.length, 1)
    assert.equal((await net.chain.findAnchor(proof.root))?.finalized, true)

    const good = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, { chain: net.chain })
    assert.equal(good.ok, true, JSON.stringify(good.failure))
    assert.equal(good.checked, 6)
    assert.equal(good.anchor?.root, record!.root.toString())
    assert.equal(good.anchor?.head.seq, 3)
    assert.equal(good.anchor?.block.number, record!.block.number)
    assert.equal(good.anchor?.txHash, record!.txHash)
    assert.deepEqual(good.unanchored, { from: 4, count: 2 })

    const bucket = await other.verifyBucket(PUBLIC_BUCKET, { chain: net.chain })
    assert.equal(bucket.ok, true, JSON.stringify(bucket.failure))
    assert.equal(bucket.timelines.length, 2)
  })

  it('a tampered event fails, and so does a history rewritten with valid signatures', async () => {
    const client = createClient({ signer, nodes: [px.url] })
    rewrite = pages(flipId(1))
    const tampered = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, { chain: net.chain })
    assert.equal(tampered.ok, false)
    assert.equal(tampered.failure?.seq, 1)
    rewrite = undefined

    // The same key signs another history on node B: signatures and links are fine, the anchor is not.
    const forker = createClient({ signer, nodes: [net.b.url] })
    await forker.appendMany(
      PUBLIC_BUCKET,
      Array.from({ length: 5 }, (_, k) => ({ id: `fork-${k}`, type: 'tap', data: { k } })),
    )
    reads = 'b'
    try {
      const plain = await client.verifyTimeline(PUBLIC_BUCKET, signer.address)
      assert.equal(plain.ok, true, 'without the chain the fork looks fine')
      const forked = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, { chain: net.chain })
      assert.equal(forked.ok, false)
      assert.equal(forked.failure?.code, 'ERR_BAD_PROOF')
      assert.equal(forked.failure?.seq, 3)
      assert.match(forked.failure?.message ?? '', /rewritten/)
    } finally {
      reads = 'a'
    }
  })

  it('a forged anchor fails: a wrong Merkle path, or a root that is not on chain', async () => {
    const client = createClient({ signer, nodes: [px.url] })
    rewrite = anchorAnswer((a) => {
      a.proof.path[0] = `0x${'00'.repeat(32)}`
    })
    const wrongPath = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, { chain: net.chain })
    assert.equal(wrongPath.failure?.code, 'ERR_BAD_PROOF')
    assert.match(wrongPath.failure?.message ?? '', /Merkle path/)

    // A self-consistent tree over the true head, whose root was never anchored.
    rewrite = anchorAnswer((a) => {
      const leaf = anchorProofFromJson(a.proof).leaf
      const tree = buildAnchorTree([leaf], { period: 1 })
      a.proof = anchorProofToJson({ leaf, index: 0, path: [], root: tree.root, rootBlock: tree.rootBlock.bytes })
    })
    const notOnChain = await client.verifyTimeline(PUBLIC_BUCKET, signer.address, { chain: net.chain })
    assert.equal(notOnChain.failure?.code, 'ERR_BAD_PROOF')
    assert.match(notOnChain.failure?.message ?? '', /not on chain/)
    assert.equal(notOnChain.failure?.seq, 3)
    rewrite = undefined
  })
})
