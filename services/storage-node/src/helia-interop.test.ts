/**
 * IPFS interop with a real client: Helia with @helia/verified-fetch (interop/helia, its own package,
 * installed on demand) fetches signed DDC events through a storage node's trustless gateway, as raw
 * blocks and as a CAR of the timeline, and Helia hashes every block it receives. Skipped with the
 * reason when interop/helia is not installed, unless DDC_REQUIRE_HELIA=1 (CI), which makes it a failure.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { decodeEnvelope } from '@ddc/core'
import type * as HeliaInterop from '../../../interop/helia/client.mjs'
import { buildEvents, cborAppend, type FixtureEvent, startTestNode, type TestNode } from './fixtures.js'

const interop = resolve(fileURLToPath(import.meta.url), '../../../../interop/helia')
const installed = existsSync(join(interop, 'node_modules', '@helia', 'verified-fetch', 'package.json'))
const required = process.env.DDC_REQUIRE_HELIA === '1'
const skip =
  installed || required
    ? false
    : 'interop/helia is not installed (npm install --prefix interop/helia; CI sets DDC_REQUIRE_HELIA=1)'

const RAW = 'application/vnd.ipld.raw'
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  !!a && !!b && Buffer.from(a).equals(Buffer.from(b))
const CAR = 'application/vnd.ipld.car'

describe('IPFS interop: Helia + @helia/verified-fetch against the trustless gateway', { skip }, () => {
  let t: TestNode
  let url: string
  let evs: FixtureEvent[]
  let helia: typeof HeliaInterop
  let client: HeliaInterop.GatewayClient

  before(async () => {
    assert.ok(installed, 'DDC_REQUIRE_HELIA=1 but interop/helia is not installed: npm ci --prefix interop/helia')
    helia = (await import(pathToFileURL(join(interop, 'client.mjs')).href)) as typeof HeliaInterop
    t = await startTestNode()
    url = await t.app.listen({ host: '127.0.0.1', port: 0 })
    evs = await buildEvents(t.alice, { bucket: 'pub', head: null, count: 4 })
    const res = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ipld.dag-cbor' },
      body: Buffer.from(cborAppend(evs)),
    })
    assert.equal(res.status, 200, await res.text())
    client = await helia.gatewayClient(url)
  })
  after(async () => {
    await client?.stop()
    await t?.close()
  })

  it('fetches every envelope and body as a raw block, verified by Helia, byte for byte what was signed', async () => {
    for (const e of evs) {
      const res = await client.fetch(`ipfs://${e.cid}`, { headers: { accept: RAW } })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), RAW)
      const bytes = new Uint8Array(await res.arrayBuffer())
      assert.ok(same(bytes, e.bytes), `envelope ${e.envelope.seq}`)
      assert.equal(decodeEnvelope(bytes).envelope.seq, e.envelope.seq)
      const body = await client.fetch(`ipfs://${e.envelope.body}`, { headers: { accept: RAW } })
      assert.ok(same(new Uint8Array(await body.arrayBuffer()), e.body), `body ${e.envelope.seq}`)
    }
  })

  it("walks the timeline from its head (prev and body links) into a CAR equal to the node's own CAR", async () => {
    const head = evs[evs.length - 1]!.cid.toString()
    const blocksOf = async (bytes: Uint8Array) => {
      const reader = await helia.CarReader.fromBytes(bytes)
      const blocks = new Map<string, Uint8Array>()
      for await (const b of reader.blocks()) blocks.set(b.cid.toString(), b.bytes)
      return { roots: (await reader.getRoots()).map(String), blocks }
    }
    const walked = await client.fetch(`ipfs://${head}`, { headers: { accept: CAR } })
    assert.equal(walked.status, 200)
    const byHelia = await blocksOf(new Uint8Array(await walked.arrayBuffer()))
    const served = await fetch(`${url}/ipfs/${head}`, { headers: { accept: CAR } })
    const byNode = await blocksOf(new Uint8Array(await served.arrayBuffer()))

    assert.deepEqual(byHelia.roots, [head])
    assert.deepEqual(byNode.roots, [head])
    for (const e of evs) {
      assert.ok(same(byHelia.blocks.get(e.cid.toString()), e.bytes), `envelope ${e.envelope.seq}`)
      assert.ok(same(byHelia.blocks.get(e.envelope.body!.toString()), e.body), `body ${e.envelope.seq}`)
    }
    assert.equal(byHelia.blocks.size, 2 * evs.length)
    assert.deepEqual([...byNode.blocks.keys()].sort(), [...byHelia.blocks.keys()].sort())
    for (const [cid, bytes] of byNode.blocks) assert.ok(same(bytes, byHelia.blocks.get(cid)), cid)
  })

  it('refuses a block whose bytes do not hash to its CID and takes it from an honest gateway', async () => {
    // Two gateways in front of the node: one flips a byte of every block; the other serves the true
    // block, but only once the liar has answered, so Helia meets the altered bytes first.
    let lies = 0
    let onLie = () => {}
    const lied = new Promise<void>((ok) => {
      onLie = ok
    })
    const liar = await proxy(async (bytes) => {
      bytes[bytes.length - 1]! ^= 1
      lies++
      setImmediate(onLie)
      return bytes
    })
    const honest = await proxy(async (bytes) => {
      await lied
      return bytes
    })
    const wary = await helia.gatewayClient([liar.url, honest.url])
    try {
      const e = evs[1]!
      const res = await wary.fetch(`ipfs://${e.cid}`, { headers: { accept: RAW } })
      assert.equal(res.status, 200)
      assert.ok(same(new Uint8Array(await res.arrayBuffer()), e.bytes), 'the true block, not the altered one')
      assert.ok(lies >= 1, 'the lying gateway answered first')
    } finally {
      await wary.stop()
      await liar.close()
      await honest.close()
    }
  })

  /** A raw-block gateway in front of the node that passes each block through `alter`. */
  async function proxy(alter: (bytes: Uint8Array) => Promise<Uint8Array>) {
    const server: Server = createServer(async (req, res) => {
      try {
        const upstream = await fetch(`${url}${req.url}`, { headers: { accept: RAW } })
        const bytes = await alter(new Uint8Array(await upstream.arrayBuffer()))
        res.writeHead(upstream.status, { 'content-type': RAW }).end(bytes)
      } catch {
        res.destroy()
      }
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => {
        server.closeAllConnections()
        return new Promise((ok) => server.close(ok))
      },
    }
  }
})
