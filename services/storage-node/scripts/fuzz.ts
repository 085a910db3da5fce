/**
 * Long fuzz run (npm run fuzz): many mutated appends against a node with its worker pool, then a full
 * store check. `-- --rounds 20000 --seed 42 --workers 2`; a failure prints the seed to replay it.
 */
import { startTestNode } from '../src/fixtures.js'
import { fuzzRound, fuzzState, rng } from '../src/fuzz.js'

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
const rounds = arg('rounds', 5000)
const seed = arg('seed', Date.now() % 2 ** 31)
const workers = arg('workers', 2)

const t = await startTestNode({ verifyWorkers: workers })
const state = fuzzState()
const r = rng(seed)
const t0 = performance.now()
try {
  for (let k = 0; k < rounds; k++) {
    try {
      await fuzzRound(t, state, r)
    } catch (err) {
      console.error(`FAILED at round ${k} (replay: --seed ${seed} --rounds ${k + 1}): ${(err as Error).message}`)
      process.exitCode = 1
      break
    }
    if ((k + 1) % 1000 === 0) console.log(`${k + 1} rounds, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  }
  const report = await t.node.store.check()
  console.log(JSON.stringify({ seed, rounds, check: report, outcomes: state.stats }, null, 2))
  if (report.errors.length) process.exitCode = 1
} finally {
  await t.close()
}
