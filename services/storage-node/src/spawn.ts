/**
 * Runs a storage node as a child process (src/main.ts under tsx), for the devnet, crash tests and
 * benchmarks: configuration goes in through DDC_NODE_* variables, readiness is /health answering 200.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { BucketInfo } from '@ddc/chain'
import { toAddress } from '@ddc/core'
import { sibling } from './ts-worker.js'

export interface SpawnInit {
  dataDir: string
  buckets: readonly BucketInfo[]
  port?: number
  verifyWorkers?: number
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug'
  env?: Record<string, string>
  /** Pass the child's stdout/stderr through (default: only stderr). */
  stdio?: 'inherit' | 'stderr'
  readyTimeoutMs?: number
  /** Extra Node flags (e.g. --cpu-prof). */
  nodeArgs?: string[]
}

export interface SpawnedNode {
  url: string
  pid: number
  child: ChildProcess
  exited: Promise<number | null>
  /** Sends a signal (SIGKILL to simulate a crash, SIGTERM to stop) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** What `npm start` uses too: a larger young generation cuts GC work on the ingest path (measured ~20%). */
export const NODE_FLAGS = ['--max-semi-space-size=32']

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export async function spawnStorageNode(init: SpawnInit): Promise<SpawnedNode> {
  const port = init.port ?? (await freePort())
  const main = fileURLToPath(sibling('main', import.meta.url))
  const child = spawn(process.execPath, [...(init.nodeArgs ?? []), ...NODE_FLAGS, '--import', 'tsx', main], {
    env: {
      ...process.env,
      DDC_NODE_PORT: String(port),
      DDC_NODE_DATA_DIR: init.dataDir,
      DDC_NODE_LOG_LEVEL: init.logLevel ?? 'warn',
      DDC_NODE_BUCKETS: JSON.stringify(
        init.buckets.map((b) => ({ id: b.id, owner: toAddress(b.owner), public: b.isPublic })),
      ),
      ...(init.verifyWorkers !== undefined ? { DDC_NODE_VERIFY_WORKERS: String(init.verifyWorkers) } : {}),
      ...init.env,
    },
    stdio: ['ignore', init.stdio === 'inherit' ? 'inherit' : 'ignore', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (init.readyTimeoutMs ?? 30_000)
  let dead = false
  void exited.then(() => {
    dead = true
  })
  for (;;) {
    if (dead) throw new Error(`storage node exited before it was ready (port ${port})`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`storage node did not become ready within ${init.readyTimeoutMs ?? 30_000} ms`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    pid: child.pid!,
    child,
    exited,
    async stop(signal = 'SIGTERM') {
      if (!dead) process.kill(child.pid!, signal)
      return exited
    },
  }
}
