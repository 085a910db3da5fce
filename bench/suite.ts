/**
 * Runs the named scenarios in order, one at a time (the machine is shared: nothing else of ours runs
 * beside a measurement), and turns what they return into rows, a table, JSON and a chart.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cryptoReady } from '@ddc/core'
import { renderChart } from './chart.js'
import { Unavailable } from './child.js'
import { describeMachine, type Machine } from './machine.js'
import { type BenchOptions, tailLengths } from './options.js'
import type { Scenario, ScenarioResult } from './results.js'
import { rowCatalogue } from './rows.js'
import { ceiling } from './scenarios/ceiling.js'
import { clusterIngest, nodeIngest } from './scenarios/external.js'
import { latency } from './scenarios/latency.js'
import { hypercore, orbitdb } from './scenarios/peers.js'
import { state } from './scenarios/state.js'
import { collectRows, type Row, renderReport } from './table.js'

export const SCENARIOS: readonly Scenario[] = [nodeIngest, clusterIngest, latency, state, ceiling, hypercore, orbitdb]

export interface SuiteReport {
  machine: Machine
  command: string
  options: BenchOptions
  results: ScenarioResult[]
  rows: Row[]
  text: string
  files: { json: string; table: string; chart: string }
}

export async function runSuite(o: BenchOptions, command: string): Promise<SuiteReport> {
  await cryptoReady()
  const machine = describeMachine()
  const unknown = (o.only ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n))
  if (unknown.length)
    throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`)
  const results: ScenarioResult[] = []
  for (const s of SCENARIOS.filter((s) => !o.only || o.only.includes(s.name))) {
    process.stderr.write(`▶ ${s.name}: ${s.about}\n`)
    const t0 = performance.now()
    try {
      const r = await s.run(o)
      results.push({ scenario: s.name, measures: r.measures, raw: r.raw, seconds: (performance.now() - t0) / 1000 })
    } catch (err) {
      const reason =
        err instanceof Unavailable ? err.message : `failed: ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}`
      results.push({ scenario: s.name, measures: [], unavailable: reason, seconds: (performance.now() - t0) / 1000 })
    }
    const last = results.at(-1)!
    process.stderr.write(
      `  ${s.name}: ${last.unavailable ? `not available: ${last.unavailable}` : `${last.measures.length} figures`} (${last.seconds.toFixed(0)} s)\n`,
    )
  }
  const lengths = tailLengths(o)
  const rows = collectRows(
    rowCatalogue({ eventBytes: o.eventBytes, longLength: o.longLength, rssEvents: lengths.reduce((a, b) => a + b, 0) }),
    results,
  )
  const text = renderReport(machine, command, rows, results)
  mkdirSync(o.out, { recursive: true })
  const files = { json: join(o.out, 'results.json'), table: join(o.out, 'table.md'), chart: join(o.out, 'chart.svg') }
  writeFileSync(files.json, `${JSON.stringify({ machine, command, options: o, rows, results }, null, 2)}\n`)
  writeFileSync(files.table, `${text}\n`)
  writeFileSync(files.chart, renderChart(machine, rows))
  return { machine, command, options: o, results, rows, text, files }
}
