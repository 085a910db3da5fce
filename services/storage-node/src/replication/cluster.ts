/**
 * A replicated cluster of storage-node processes on loopback, for the fault tests and the cluster
 * benchmark: node i runs with key //DdcNode<i> (the dev chain's node keys) and the others as static
 * peers, each on its own port and data directory; any node can be killed and started again on the
 * same port and data.
 */
import { join } from 'node:path'
import type { BucketInfo } from '@ddc/chain'
import { nodeIdOf } from '@ddc/chain'
import { createAccount, cryptoReady } from '@ddc/core'
import { freePort, type SpawnedNode, spawnStorageNode } from '../spawn.js'

export interface ClusterInit {
  dir: string
  buckets: readonly BucketInfo[]
  nodes?: number
  replicationFactor?: number
  writeQuorum?: number
  repairIntervalMs?: number
  probeIntervalMs?: number
  verifyWorkers?: number
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug'
  nodeArgs?: string[]
}

export interface ClusterMember {
  index: number
  /** Secret URI of the node key. */
  key: string
  id: string
  url: string
  dataDir: string
  proc: SpawnedNode | undefined
}

export interface LocalCluster {
  members: ClusterMember[]
  start(i: number): Promise<void>
  /** SIGKILL (a crash) by default. */
  stop(i: number, signal?: NodeJS.Signals): Promise<void>
  close(): Promise<void>
}

export const devNodeKey = (i: number) => `//DdcNode${i + 1}`

export async function startCluster(init: ClusterInit): Promise<LocalCluster> {
  await cryptoReady()
  const n = init.nodes ?? 3
  const ports: number[] = []
  for (let i = 0; i < n; i++) ports.push(await freePort())
  const members: ClusterMember[] = ports.map((port, i) => ({
    index: i,
    key: devNodeKey(i),
    id: nodeIdOf(createAccount({ uri: devNodeKey(i) }).accountId),
    url: `http://127.0.0.1:${port}`,
    dataDir: join(init.dir, `node${i + 1}`),
    proc: undefined,
  }))
  const env = (m: ClusterMember): Record<string, string> => ({
    DDC_NODE_KEY: m.key,
    DDC_NODE_PUBLIC_URL: m.url,
    DDC_NODE_PEERS: JSON.stringify(
      members.filter((o) => o !== m).map((o) => ({ url: o.url, key: createAccount({ uri: o.key }).address })),
    ),
    DDC_NODE_REPLICATION_FACTOR: String(init.replicationFactor ?? 3),
    DDC_NODE_WRITE_QUORUM: String(init.writeQuorum ?? 2),
    DDC_NODE_REPAIR_INTERVAL_MS: String(init.repairIntervalMs ?? 1000),
    DDC_NODE_PROBE_INTERVAL_MS: String(init.probeIntervalMs ?? 250),
  })
  const start = async (i: number) => {
    const m = members[i]!
    m.proc = await spawnStorageNode({
      dataDir: m.dataDir,
      buckets: init.buckets,
      port: ports[i]!,
      verifyWorkers: init.verifyWorkers ?? 0,
      readyTimeoutMs: 90_000,
      logLevel: init.logLevel ?? 'warn',
      env: env(m),
      ...(init.nodeArgs ? { nodeArgs: init.nodeArgs } : {}),
    })
  }
  const stop = async (i: number, signal: NodeJS.Signals = 'SIGKILL') => {
    const m = members[i]!
    await m.proc?.stop(signal)
    m.proc = undefined
  }
  try {
    await Promise.all(members.map((_, i) => start(i)))
  } catch (err) {
    await Promise.all(members.map((_, i) => stop(i)))
    throw err
  }
  return {
    members,
    start,
    stop,
    async close() {
      await Promise.all(members.map((_, i) => stop(i)))
    },
  }
}
