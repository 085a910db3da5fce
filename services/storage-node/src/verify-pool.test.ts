import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { createAccount, cryptoReady, type LocalSigner } from '@ddc/core'
import { buildEvents, cborAppend } from './fixtures.js'
import { createVerifyPool } from './verify-pool.js'

let alice: LocalSigner
before(async () => {
  await cryptoReady()
  alice = createAccount({ uri: '//Alice', scheme: 'ed25519' })
})

describe('verify pool', () => {
  for (const [name, execArgv] of [
    ['inheriting the parent loader flags', undefined],
    ['started without any (tsx registered inside the worker)', [] as string[]],
  ] as const) {
    it(`decodes and verifies on worker threads ${name}`, async () => {
      const pool = createVerifyPool({ size: 2, ...(execArgv ? { execArgv } : {}) })
      try {
        await pool.ready()
        const evs = await buildEvents(alice, { bucket: 'b', head: null, count: 40, batch: false })
        const raw = cborAppend(evs)
        const decoded = await pool.decode(raw, 1000)
        assert.equal(decoded.events.length, 40)
        assert.deepEqual(decoded.events[7]!.cid, evs[7]!.cid.bytes)
        assert.ok(Buffer.from(decoded.events[7]!.env).equals(evs[7]!.bytes))
        assert.equal(decoded.checks.length, 40)
        assert.equal(await pool.verify(decoded.checks), 40)
        assert.equal(await pool.verify(decoded.checks), 0, 'checks already passed are not run again')
        const forged = cborAppend(
          evs.map((e, k) => (k === 23 ? { ...e, seal: { ...e.seal, sig: new Uint8Array(64) } } : e)),
        )
        const bad = await pool.decode(forged, 1000)
        await assert.rejects(
          pool.verify(bad.checks),
          (err: Error & { code?: string; details?: { index?: number } }) => {
            return err.code === 'ERR_BAD_SIGNATURE' && err.details?.index === 23
          },
        )
        await assert.rejects(pool.decode(new Uint8Array([0xff]), 1000), { code: 'ERR_INVALID_INPUT' })
      } finally {
        await pool.close()
      }
    })
  }

  it('checks one signature per batch, however many events it covers', async () => {
    const pool = createVerifyPool({ size: 0 })
    const evs = await buildEvents(alice, { bucket: 'b', head: null, count: 300 })
    const decoded = await pool.decode(cborAppend(evs), 1000)
    assert.equal(decoded.checks.length, 1)
    assert.equal(await pool.verify(decoded.checks), 1)
  })
})
