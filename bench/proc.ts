/** What a process and a data folder cost: RSS from /proc (Linux), bytes on disk from a walk. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function memoryOf(pid: number): { rssMB: number; peakMB: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? Number.NaN)
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 }
  } catch {
    return undefined
  }
}

/** Apparent size of every file under `dir` (what `du -sb` prints). */
export function dirBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size
  }
  return total
}

/** Process ids whose parent chain leads to `pid` (Linux /proc), deepest last. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const [child, pp] of parent)
      if (pp === p) {
        out.push(child)
        walk(child)
      }
  }
  walk(pid)
  return out
}

/** SIGKILLs a process and everything it started (a stopped benchmark leaves no storage node behind). */
export function killTree(pid: number): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
