import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestNode, type TestNode } from './fixtures.js'
import { fuzzRound, fuzzState, rng } from './fuzz.js'

const ROUNDS = Number(process.env.DDC_FUZZ_ROUNDS ?? 300)
const SEED = Number(process.env.DDC_FUZZ_SEED ?? Date.now() % 2 ** 31)
let t: TestNode

before(async () => {
  t = await startTestNode()
})
after(() => t.close())

describe('append fuzzing (quick pass; `npm run fuzz` for a long one)', () => {
  it(`answers ${ROUNDS} mutated appends with 2xx/4xx only and stays consistent (seed ${SEED})`, async () => {
    const state = fuzzState()
    const r = rng(SEED)
    const statuses = new Set<number>()
    for (let k = 0; k < ROUNDS; k++) {
      try {
        statuses.add(await fuzzRound(t, state, r))
      } catch (err) {
        throw new Error(`round ${k} with DDC_FUZZ_SEED=${SEED}: ${(err as Error).message}`)
      }
    }
    assert.ok(statuses.has(200) && [...statuses].some((s) => s >= 400), `both outcomes seen: ${[...statuses]}`)
    const report = await t.node.store.check()
    assert.deepEqual(report.errors, [])
    for (const a of state.accounts) {
      const now = (await t.app.inject(`/buckets/pub/timelines/${a.address}`)).json()
      assert.equal(now.head?.cid ?? null, state.heads.get(a.address)?.cid.toString() ?? null)
    }
    assert.equal((await t.app.inject('/health')).statusCode, 200)
  })
})
