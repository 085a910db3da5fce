/** Latency summaries shared by the harness scenarios and the load generator. */

export interface Summary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Nearest-rank percentile of an already sorted list. */
const rank = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0

export function summarize(samples: readonly number[]): Summary {
  const s = Float64Array.from(samples).sort()
  const list = Array.from(s)
  return { count: list.length, p50: rank(list, 50), p95: rank(list, 95), p99: rank(list, 99), max: list.at(-1) ?? 0 }
}
