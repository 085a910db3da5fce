/**
 * The printed table (Markdown, so it pastes into the README): one row per measure, one column per
 * system, the DDC/peer and DDC/ceiling ratios, and how far DDC is from issue #9's target.
 */
import { type Machine, machineLine } from './machine.js'
import { type Measure, SCENARIO_SYSTEMS, type ScenarioResult, SYSTEM_LABEL, type System } from './results.js'
import type { RowSpec } from './rows.js'

export interface Row extends RowSpec {
  values: Partial<Record<System, number>>
}

export function collectRows(specs: readonly RowSpec[], results: readonly ScenarioResult[]): Row[] {
  const byRow = new Map<string, Measure[]>()
  for (const r of results) for (const m of r.measures) byRow.set(m.row, [...(byRow.get(m.row) ?? []), m])
  return specs
    .filter((s) => byRow.has(s.id))
    .map((s) => ({ ...s, values: Object.fromEntries(byRow.get(s.id)!.map((m) => [m.system, m.value])) }))
}

export function formatValue(v: number | undefined, unit: RowSpec['unit']): string {
  if (v === undefined || !Number.isFinite(v)) return '—'
  if (unit === 'ms') return v < 10 ? v.toFixed(2) : v.toFixed(1)
  if (unit === '×') return `${v.toFixed(2)}×`
  if (unit === 'MB') return v.toFixed(0)
  return Math.round(v).toLocaleString('en')
}

const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b ? '—' : `${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}`

/** "met", or how far off: "short by 37% (−1,480 ev/s)" / "over by 20% (+5.0 ms)". */
export function versusTarget(row: Row): string {
  const v = row.values.ddc
  if (row.target === undefined) return ''
  if (v === undefined) return 'not measured'
  const off = row.better === 'higher' ? (row.target - v) / row.target : (v - row.target) / row.target
  if (off <= 0) return 'met'
  const delta = formatValue(Math.abs(v - row.target), row.unit)
  return row.better === 'higher'
    ? `short by ${(off * 100).toFixed(0)}% (−${delta})`
    : `over by ${(off * 100).toFixed(0)}% (+${delta})`
}

const RATIO_COLUMNS: System[] = ['orbitdb', 'hypercore', 'hypercoreDurable', 'ceiling']

export function renderTable(rows: readonly Row[]): string {
  const head = [
    'measure',
    'unit',
    ...SCENARIO_SYSTEMS.map((s) => SYSTEM_LABEL[s]),
    ...RATIO_COLUMNS.map((s) => `DDC/${SYSTEM_LABEL[s]}`),
    'target',
    'DDC vs target',
  ]
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`]
  for (const r of rows) {
    const cells = [
      r.label,
      r.unit,
      ...SCENARIO_SYSTEMS.map((s) => formatValue(r.values[s], r.unit)),
      ...RATIO_COLUMNS.map((s) => ratio(r.values.ddc, r.values[s])),
      r.target === undefined ? '' : `${r.better === 'higher' ? '≥' : '≤'} ${formatValue(r.target, r.unit)}`,
      versusTarget(r),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

export function renderReport(
  machine: Machine,
  command: string,
  rows: readonly Row[],
  results: readonly ScenarioResult[],
) {
  const out = [`Machine: ${machineLine(machine)}`, `Command: \`${command}\``, '', renderTable(rows), '']
  out.push(
    'Ratios are DDC ÷ the other column: above 1 DDC is ahead for ev/s, below 1 it is ahead for ms, B/ev and MB.',
    'Hypercore resolves append() before any fsync; "Hypercore +fdatasync" adds an fdatasync of its storage after each append call (like-for-like with DDC, which acknowledges only after fsync). The ceiling is the raw libraries in-process (verify + seal check + canonical check + CID + one fsync per group) on every core.',
  )
  const notes = results.flatMap((r) =>
    r.measures.filter((m) => m.note).map((m) => `- ${m.row} (${SYSTEM_LABEL[m.system]}): ${m.note}`),
  )
  if (notes.length) out.push('', 'How each figure was taken:', ...notes)
  const missing = results.filter((r) => r.unavailable)
  if (missing.length) out.push('', ...missing.map((r) => `- ${r.scenario}: not available: ${r.unavailable}`))
  return out.join('\n')
}
