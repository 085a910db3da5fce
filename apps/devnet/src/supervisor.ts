/**
 * Starts DDC services as separate child processes (each through its own `src/main.ts`), waits until
 * each answers /health, and stops them all — by their own pids — on shutdown. Output of each child is
 * written to a log file under the data folder, so the launcher's terminal stays readable.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { UnavailableError } from '@ddc/core'

export interface ServiceSpec {
  /** Short name, e.g. `storage-1`. */
  name: string
  /** Path of the service entry point (`services/<x>/src/main.ts`). */
  entry: string
  env: Record<string, string>
  /** Base URL the service will answer on once healthy. */
  url: string
}

export interface RunningService extends ServiceSpec {
  child: ChildProcess
  log: string
}

const tsxLoader = createRequire(import.meta.url).resolve('tsx')

export async function startService(spec: ServiceSpec, logDir: string, timeoutMs = 60_000): Promise<RunningService> {
  mkdirSync(logDir, { recursive: true })
  const log = join(logDir, `${spec.name}.log`)
  const out = createWriteStream(log, { flags: 'a' })
  const child = spawn(process.execPath, ['--import', tsxLoader, spec.entry], {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(out)
  child.stderr?.pipe(out)
  let exited: number | null = null
  child.once('exit', (code) => {
    exited = code ?? -1
  })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited !== null) throw new UnavailableError(`${spec.name} exited with code ${exited} during start; see ${log}`)
    try {
      const res = await fetch(`${spec.url}/health`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return { ...spec, child, log }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  child.kill('SIGKILL')
  throw new UnavailableError(`${spec.name} did not become healthy within ${timeoutMs} ms; see ${log}`)
}

/** Stops services in reverse start order: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopServices(services: readonly RunningService[], graceMs = 5000): Promise<void> {
  for (const s of [...services].reverse()) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue
    const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()))
    s.child.kill('SIGTERM')
    const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
}
