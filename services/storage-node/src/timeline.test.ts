import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createAccount, cryptoReady, encodeCanonical } from '@ddc/core'
import { buildEvents } from './fixtures.js'
import { cborEvent, cborPage, decodeCursor, encodeCursor, eventCbor, type FullEvent } from './timeline.js'

describe('timeline reads', () => {
  it('writes DAG-CBOR pages exactly as the canonical encoder would', async () => {
    await cryptoReady()
    const a = createAccount({ uri: '//Pager', scheme: 'ed25519' })
    const evs = await buildEvents(a, { bucket: 'b', head: null, count: 30 })
    const full: FullEvent[] = evs.map((e, k) => ({
      seq: k,
      cid: e.cid,
      seal: e.seal,
      bytes: e.bytes,
      envelope: e.envelope,
      ...(k % 3 === 1 ? {} : { body: e.body! }),
      redacted: k % 3 === 1,
    }))
    for (const [events, next] of [
      [full, 's29'],
      [full.slice(0, 1), undefined],
      [[], undefined],
    ] as const) {
      const expected = encodeCanonical({ events: events.map(eventCbor), ...(next ? { next } : {}) })
      assert.ok(cborPage(events, next).equals(expected))
    }
    assert.ok(cborEvent(full[1]!).equals(encodeCanonical(eventCbor(full[1]!))))
  })

  it('round-trips cursors and refuses foreign ones', () => {
    for (const c of [{ seq: 0 }, { seq: 42 }, { seq: 7, ts: 1_700_000_000_000 }])
      assert.deepEqual(decodeCursor(encodeCursor(c)), c)
    for (const bad of ['', 'x1', 's-1', 't1', 's1.2', `s${'9'.repeat(17)}`])
      assert.throws(() => decodeCursor(bad), { code: 'ERR_INVALID_INPUT' })
  })
})
