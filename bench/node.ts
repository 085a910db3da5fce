/**
 * A storage node under test: its own process (spawnStorageNode, full fsync durability) on a fresh
 * data folder, with one public bucket owned by a bench account.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAccount } from '@ddc/core'
import { type SpawnedNode, spawnStorageNode } from '@ddc/storage-node'

export const BENCH_BUCKET = 'bench'

export interface BenchNode {
  node: SpawnedNode
  url: string
  dir: string
  /** SIGTERM, then the folder stays until `remove` (its size is measured after a clean stop). */
  stop(): Promise<void>
  remove(): void
}

export async function startBenchNode(o: { verifyWorkers?: number } = {}): Promise<BenchNode> {
  const dir = mkdtempSync(join(tmpdir(), 'ddc-bench-node-'))
  const owner = createAccount({ uri: '//Bench//BucketOwner' })
  const node = await spawnStorageNode({
    dataDir: dir,
    buckets: [{ id: BENCH_BUCKET, owner: owner.accountId, isPublic: true }],
    logLevel: 'warn',
    ...(o.verifyWorkers === undefined ? {} : { verifyWorkers: o.verifyWorkers }),
  })
  let stopped = false
  return {
    node,
    url: node.url,
    dir,
    async stop() {
      if (stopped) return
      stopped = true
      await node.stop('SIGTERM')
    },
    remove() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Runs `fn` against a fresh node and always stops and removes it. */
export async function withBenchNode<T>(o: { verifyWorkers?: number }, fn: (n: BenchNode) => Promise<T>): Promise<T> {
  const n = await startBenchNode(o)
  try {
    return await fn(n)
  } finally {
    await n.stop().catch(() => n.node.stop('SIGKILL'))
    n.remove()
  }
}
