/** verifyTimeline on good data, and on answers a tiny proxy tampers with (one flipped byte). */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { createAccount, decodeCanonical, encodeCanonical } from '@ddc/core'
import { PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { createClient, type WireEvent } from './index.js'

type Tamper = ((page: { events: WireEvent[] }) => void) | undefined

/** Forwards everything to `target`; when `tamper` is set, rewrites DAG-CBOR event pages through it. */
async function proxy(target: string, get: () => Tamper): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length'),
    ) as Record<string, string>
    const up = await fetch(`${target}${req.url}`, {
      method: req.method!,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    })
    let body: Uint8Array = new Uint8Array(await up.arrayBuffer())
    const tamper = get()
    if (tamper && up.ok && req.url!.includes('/events?')) {
      const page = decodeCanonical<{ events: WireEvent[] }>(body, 1 << 26)
      tamper(page)
      body = encodeCanonical(page)
    }
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/octet-stream' })
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }
}

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
  let px: { url: string; server: Server }
  let tamper: Tamper
  before(async () => {
    net = await startTestNet()
    px = await proxy(net.nodes[0]!.url, () => tamper)
  })
  after(async () => {
    px.server.close()
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
