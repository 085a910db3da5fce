/**
 * The chart, as a self-contained SVG (no dependency): one panel per unit, a group of horizontal bars
 * per row, one bar per system. Throughput spans four orders of magnitude, so ev/s is on a log scale.
 */
import { type Machine, machineLine } from './machine.js'
import { SCENARIO_SYSTEMS, SYSTEM_LABEL, type System } from './results.js'
import { formatValue, type Row } from './table.js'

const COLOURS: Record<System, string> = {
  ddc: '#2563eb',
  orbitdb: '#d97706',
  hypercore: '#16a34a',
  hypercoreDurable: '#65a30d',
  ceiling: '#9ca3af',
}

const W = 960
const LABEL_W = 300
const BAR_H = 14
const PLOT_W = W - LABEL_W - 110

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function panel(title: string, rows: readonly Row[], log: boolean, y0: number): { svg: string[]; height: number } {
  const values = rows.flatMap((r) => SCENARIO_SYSTEMS.map((s) => r.values[s]).filter((v): v is number => !!v && v > 0))
  const max = Math.max(...values, 1e-9)
  const min = log ? 10 ** Math.floor(Math.log10(Math.min(...values, max))) : 0
  const top = log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.05
  const x = (v: number) =>
    log
      ? ((Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(top) - Math.log10(min) || 1)) * PLOT_W
      : (v / top) * PLOT_W
  const svg = [`<text x="10" y="${y0 + 16}" font-weight="bold">${esc(title)}</text>`]
  const gridTop = y0 + 30
  let y = gridTop + 4
  for (const r of rows) {
    const present = SCENARIO_SYSTEMS.filter((s) => r.values[s] !== undefined)
    svg.push(`<text x="10" y="${y + 11}" font-size="12">${esc(r.label)}</text>`)
    for (const s of present) {
      const v = r.values[s]!
      const w = Math.max(1, x(v))
      svg.push(
        `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H - 2}" fill="${COLOURS[s]}"><title>${esc(`${SYSTEM_LABEL[s]}: ${formatValue(v, r.unit)} ${r.unit}`)}</title></rect>`,
        `<text x="${LABEL_W + w + 4}" y="${y + 10}" font-size="10">${esc(`${formatValue(v, r.unit)} ${r.unit}`)}</text>`,
      )
      y += BAR_H
    }
    y += 8
  }
  if (log)
    for (let t = min; t <= top * 1.0001; t *= 10)
      svg.splice(
        1,
        0,
        `<line x1="${LABEL_W + x(t)}" y1="${gridTop}" x2="${LABEL_W + x(t)}" y2="${y}" stroke="#e5e7eb"/>`,
        `<text x="${LABEL_W + x(t)}" y="${gridTop - 2}" font-size="10" text-anchor="middle" fill="#6b7280">${formatValue(t, 'ev/s')}</text>`,
      )
  return { svg, height: y - y0 }
}

export function renderChart(machine: Machine, rows: readonly Row[]): string {
  const parts: string[] = []
  let y = 44
  const groups: [string, Row[], boolean][] = [
    ['Throughput (events/s, log scale, longer is better)', rows.filter((r) => r.unit === 'ev/s'), true],
    ['Latency (ms, shorter is better)', rows.filter((r) => r.unit === 'ms'), false],
    ['Storage (bytes per event)', rows.filter((r) => r.unit === 'B/ev'), false],
  ]
  for (const [title, list, log] of groups) {
    if (list.length === 0) continue
    const p = panel(title, list, log, y)
    parts.push(...p.svg)
    y += p.height + 10
  }
  const legend = SCENARIO_SYSTEMS.map(
    (s, k) =>
      `<rect x="${10 + k * 150}" y="${y}" width="12" height="12" fill="${COLOURS[s]}"/><text x="${26 + k * 150}" y="${y + 10}" font-size="12">${esc(SYSTEM_LABEL[s])}</text>`,
  )
  const height = y + 30
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>DDC beside OrbitDB, Hypercore and the raw-library ceiling: ${esc(machineLine(machine))}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">DDC beside OrbitDB, Hypercore and the raw-library ceiling</text>`,
    `<text x="10" y="36" font-size="11" fill="#374151">${esc(machineLine(machine))}</text>`,
    ...parts,
    ...legend,
    '</svg>',
    '',
  ].join('\n')
}
