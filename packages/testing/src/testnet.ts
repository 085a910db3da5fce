/**
 * A real DDC network in this process for integration tests: storage nodes on 127.0.0.1 (temp data
 * dirs), a dev chain whose genesis lists them as the dev cluster, and a CLS over it. Buckets:
 * DEMO_BUCKET ('1', private, owner //Alice) and PUBLIC_BUCKET ('2', public, owner //Alice).
 * Nodes can be stopped and started again on the same port (failover tests).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Chain, devChainClient } from '@ddc/chain'
import { type ChainNode, createChainNode, DEMO_BUCKET, DEV_CLUSTER, devGenesis, devNodeUri } from '@ddc/chain-node'
import { createCls } from '@ddc/cls'
import { createAccount, cryptoReady } from '@ddc/core'
import { type ClusterDirectory, createStorageNode, type ReplicationInit, type StorageNode } from '@ddc/storage-node'

export const PUBLIC_BUCKET = '2'
export { DEMO_BUCKET }

export interface TestNode {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
}

export interface TestNet {
  nodes: TestNode[]
  cls: string
  chain: Chain
  chainUrl: string
  close(): Promise<void>
}

export interface TestNetOptions {
  nodes?: number
  /** Storage nodes answer CORS for any origin (browser tests call them from a page). */
  cors?: boolean
  /**
   * Storage nodes replicate (keys //DdcNode<i>, cluster read from the dev chain): quorum writes and
   * repair. Off by default, so suites that stop nodes keep single-node writes.
   */
  replication?: boolean | Omit<ReplicationInit, 'key' | 'chain' | 'peers'>
}

export async function startTestNet(opts: TestNetOptions = {}): Promise<TestNet> {
  await cryptoReady()
  const dir = mkdtempSync(join(tmpdir(), 'ddc-testnet-'))
  let chain: Chain | undefined
  const buckets = { getBucket: (id: string) => chain!.getBucket(id) }
  // Nodes start before the chain (its genesis lists their URLs): they read the cluster once it exists.
  const cluster: ClusterDirectory = {
    getNode: (id, signal) => chain!.getNode(id, signal),
    getCluster: (id, signal) => chain!.getCluster(id, signal),
    listNodes: (filter, signal) => chain!.listNodes(filter, signal),
  }
  const nodes: TestNode[] = []
  for (let i = 1; i <= (opts.nodes ?? 3); i++) {
    let node: StorageNode | undefined
    let port = 0
    const start = async () => {
      node = await createStorageNode({
        dataDir: join(dir, `node${i}`),
        buckets,
        verifyWorkers: 0,
        defaultMetrics: false,
        ...(opts.cors ? { cors: true as const } : {}),
        ...(opts.replication
          ? {
              replication: {
                key: devNodeUri(i),
                chain: cluster,
                repairIntervalMs: 1000,
                probeIntervalMs: 250,
                ...(typeof opts.replication === 'object' ? opts.replication : {}),
              },
            }
          : {}),
      })
      await node.app.listen({ host: '127.0.0.1', port })
      port = (node.app.server.address() as { port: number }).port
    }
    await start()
    nodes.push({
      get url() {
        return `http://127.0.0.1:${port}`
      },
      start,
      async stop() {
        const n = node
        node = undefined
        await n?.close()
      },
    })
  }
  const { chainNode, chainUrl } = await startDevChain({ dir, nodeEndpoints: nodes.map((n) => n.url) })
  chain = devChainClient({ url: chainUrl })
  const cls = await createCls({ chain, dataDir: join(dir, 'cls'), logger: false, defaultMetrics: false })
  const clsUrl = await cls.app.listen({ host: '127.0.0.1', port: 0 })
  return {
    nodes,
    cls: clsUrl,
    chain,
    chainUrl,
    async close() {
      await cls.close()
      await chain!.close()
      await chainNode.close()
      for (const n of nodes) await n.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * A dev chain server on 127.0.0.1 with fast blocks, its data in `<dir>/chain`, whose genesis adds the
 * public bucket PUBLIC_BUCKET (or `publicBucket`) owned by //Alice.
 */
export async function startDevChain(init: {
  dir: string
  nodeEndpoints?: string[]
  publicBucket?: string
}): Promise<{ chainNode: ChainNode; chainUrl: string }> {
  const genesis = await devGenesis(init.nodeEndpoints ? { nodeEndpoints: init.nodeEndpoints } : {})
  genesis.buckets.push({
    id: init.publicBucket ?? PUBLIC_BUCKET,
    owner: createAccount({ uri: '//Alice' }).address,
    cluster: DEV_CLUSTER,
    isPublic: true,
    settings: {},
  })
  const chainNode = await createChainNode({
    dataDir: join(init.dir, 'chain'),
    genesis,
    blockIntervalMs: 50,
    logger: false,
    defaultMetrics: false,
  })
  return { chainNode, chainUrl: await chainNode.app.listen({ host: '127.0.0.1', port: 0 }) }
}
