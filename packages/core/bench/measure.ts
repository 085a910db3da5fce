/** Tiny ops/s harness for micro-benchmarks: warm up, then run for a fixed time and count. */
export interface Figure {
  name: string
  opsPerSec: number
}

export function measure(name: string, fn: () => void, ms = 1000): Figure {
  const warmEnd = performance.now() + ms / 5
  while (performance.now() < warmEnd) fn()
  let n = 0
  const start = performance.now()
  const end = start + ms
  while (performance.now() < end) {
    for (let i = 0; i < 16; i++) fn()
    n += 16
  }
  return { name, opsPerSec: n / ((performance.now() - start) / 1000) }
}

export function printTable(title: string, rows: { name: string; ddc: number; raw: number }[]): void {
  console.log(`\n${title}`)
  console.log(
    `${'operation'.padEnd(34)} ${'DDC ops/s'.padStart(12)} ${'raw lib ops/s'.padStart(14)} ${'overhead'.padStart(9)}`,
  )
  for (const r of rows) {
    const overhead = ((r.raw / r.ddc - 1) * 100).toFixed(1)
    console.log(
      `${r.name.padEnd(34)} ${Math.round(r.ddc).toLocaleString('en').padStart(12)} ${Math.round(r.raw).toLocaleString('en').padStart(14)} ${`${overhead}%`.padStart(9)}`,
    )
  }
}
