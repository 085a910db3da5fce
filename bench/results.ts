/**
 * What a scenario hands back: measures (one number for one system on one row of the table) and, when
 * it could not run, the reason. The table, the JSON file and the chart are all built from these.
 */

export type System = 'ddc' | 'orbitdb' | 'hypercore' | 'hypercoreDurable' | 'ceiling'

export const SCENARIO_SYSTEMS: readonly System[] = ['ddc', 'orbitdb', 'hypercore', 'hypercoreDurable', 'ceiling']

export const SYSTEM_LABEL: Record<System, string> = {
  ddc: 'DDC',
  orbitdb: 'OrbitDB',
  hypercore: 'Hypercore',
  hypercoreDurable: 'Hypercore +fdatasync',
  ceiling: 'ceiling',
}

export interface Measure {
  row: string
  system: System
  value: number
  /** How it was taken (sizes, counts), shown under the table. */
  note?: string
}

export interface ScenarioResult {
  scenario: string
  measures: Measure[]
  /** Set when the scenario could not run; the table says "not available: <reason>". */
  unavailable?: string
  /** Raw figures (e.g. a child benchmark's own JSON), kept in the results file. */
  raw?: unknown
  seconds: number
}

export const measure = (row: string, system: System, value: number, note?: string): Measure =>
  note === undefined ? { row, system, value } : { row, system, value, note }

export interface Scenario {
  name: string
  about: string
  /** Returns measures; throws `Unavailable` (child.ts) with a reason when it cannot run here. */
  run(o: import('./options.js').BenchOptions): Promise<{ measures: Measure[]; raw?: unknown }>
}
