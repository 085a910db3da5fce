import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCrashDrill } from './crash.js'

describe('crash safety', () => {
  it('keeps every acknowledged append across three SIGKILLs under load, with a consistent store', async () => {
    const report = await runCrashDrill({ cycles: 3, clients: 4 })
    assert.equal(report.cycles, 3)
    assert.ok(report.acknowledged > 20, `load was applied (${report.acknowledged} events acknowledged)`)
    assert.equal(report.lost, 0)
    assert.deepEqual(report.checkErrors, [])
  })
})
