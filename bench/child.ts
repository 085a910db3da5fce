/**
 * Runs a TypeScript benchmark as its own process (`node --import tsx <script> … --json <file>`) and
 * reads the JSON it writes. A child that is missing, fails or runs past its time limit becomes a
 * reason string, so the harness can say "not available: <reason>" instead of crashing.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { killTree } from './proc.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

export class Unavailable extends Error {}

export interface ChildInit {
  /** Script path, relative to the repository root. */
  script: string
  args?: string[]
  timeoutMs: number
  /** Extra Node flags. */
  nodeArgs?: string[]
  /** Pass the child's output through (progress lines), prefixed. */
  echo?: string
}

export async function runJsonChild<T = unknown>(init: ChildInit): Promise<T> {
  const script = join(ROOT, init.script)
  if (!existsSync(script)) throw new Unavailable(`${init.script} does not exist yet`)
  // A script without the flag would run in full and write nothing: say so before spending minutes.
  if (!readFileSync(script, 'utf8').includes('--json'))
    throw new Unavailable(`${init.script} does not support --json <file> yet`)
  const dir = mkdtempSync(join(tmpdir(), 'ddc-bench-child-'))
  const out = join(dir, 'result.json')
  try {
    const child = spawn(
      process.execPath,
      [...(init.nodeArgs ?? []), '--import', 'tsx', script, ...(init.args ?? []), '--json', out],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let tail = ''
    const keep = (chunk: Buffer) => {
      const text = chunk.toString()
      tail = (tail + text).slice(-2000)
      if (init.echo)
        for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`  ${init.echo}| ${line}\n`)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => killTree(child.pid!), init.timeoutMs)
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c, signal) => resolve(signal ? -1 : c)),
    )
    clearTimeout(timer)
    if (code === -1) throw new Unavailable(`${init.script} was stopped after ${Math.round(init.timeoutMs / 1000)} s`)
    if (code !== 0) throw new Unavailable(`${init.script} exited with ${code}: ${lastLine(tail)}`)
    if (!existsSync(out)) throw new Unavailable(`${init.script} wrote no JSON (does it support --json <file> yet?)`)
    return JSON.parse(readFileSync(out, 'utf8')) as T
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const lastLine = (text: string): string =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .slice(-3)
    .join(' / ')
    .slice(0, 300)
