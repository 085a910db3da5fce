/**
 * `npm run bench`: DDC beside OrbitDB, Hypercore and the raw-library ceiling, in one run on this
 * machine (issue #9). Prints a Markdown table and writes results.json, table.md and chart.svg.
 *   npm run bench [-- --quick | --full] [--only node,latency,…] [--event-size 1024] [--scopes 3]
 *     [--scheme sr25519|ed25519] [--batch 1000] [--concurrency 16] [--duration 8] [--long 100000] [--out dir]
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './child.js'
import { parseOptions } from './options.js'
import { runSuite } from './suite.js'

const argv = process.argv.slice(2)
// Only a standard or full run replaces the committed results; a quick one goes to a temp folder.
const out = argv.includes('--quick') ? join(tmpdir(), 'ddc-bench-quick') : join(ROOT, 'bench', 'results')
let options: ReturnType<typeof parseOptions>
try {
  options = parseOptions(argv, out)
} catch (err) {
  console.error((err as Error).message)
  process.exit(2)
}
const report = await runSuite(options, `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`)
console.log(`\n${report.text}\n`)
console.log(`written: ${report.files.table}, ${report.files.json}, ${report.files.chart}`)
