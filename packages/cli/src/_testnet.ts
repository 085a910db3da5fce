/**
 * Test-only: a small real network in this process — a dev chain whose genesis names two real storage
 * nodes as the dev cluster, and a CLS over it. Bucket '1' is private and owned by //Alice.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Chain, devChainClient } from '@ddc/chain'
import { createChainNode, devGenesis } from '@ddc/chain-node'
import { createCls } from '@ddc/cls'
import { cryptoReady } from '@ddc/core'
import { createStorageNode, type StorageNode } from '@ddc/storage-node'

export interface CliTestNet {
  cls: string
  chain: string
  nodes: string[]
  close(): Promise<void>
}

export async function startCliTestNet(nodeCount = 2): Promise<CliTestNet> {
  await cryptoReady()
  const dir = mkdtempSync(join(tmpdir(), 'ddc-cli-net-'))
  let chain: Chain | undefined
  const buckets = { getBucket: (id: string) => chain!.getBucket(id) }
  const nodes: StorageNode[] = []
  const urls: string[] = []
  for (let i = 1; i <= nodeCount; i++) {
    const node = await createStorageNode({
      dataDir: join(dir, `node${i}`),
      buckets,
      verifyWorkers: 0,
      defaultMetrics: false,
    })
    urls.push(await node.app.listen({ host: '127.0.0.1', port: 0 }))
    nodes.push(node)
  }
  const chainNode = await createChainNode({
    dataDir: join(dir, 'chain'),
    genesis: await devGenesis({ nodeEndpoints: urls }),
    blockIntervalMs: 50,
    logger: false,
    defaultMetrics: false,
  })
  const chainUrl = await chainNode.app.listen({ host: '127.0.0.1', port: 0 })
  chain = devChainClient({ url: chainUrl })
  const cls = await createCls({ chain, dataDir: join(dir, 'cls'), logger: false, defaultMetrics: false })
  const clsUrl = await cls.app.listen({ host: '127.0.0.1', port: 0 })
  return {
    cls: clsUrl,
    chain: chainUrl,
    nodes: urls,
    async close() {
      await cls.close()
      await chain!.close()
      await chainNode.close()
      for (const n of nodes) await n.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
