/**
 * Test-only: a real network in this process — dev chain (its genesis lists three real storage nodes as
 * the dev cluster), the storage nodes and a CLS — plus a viewer over it, and some events appended with
 * the SDK to the public bucket. Mirrors packages/sdk/src/_testnet.ts, but also exposes the chain URL.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Chain, devChainClient } from '@ddc/chain'
import { createChainNode, DEV_CLUSTER, devGenesis } from '@ddc/chain-node'
import { createCls } from '@ddc/cls'
import { createAccount, cryptoReady } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import type { Service } from '@ddc/service'
import { createStorageNode, type StorageNode } from '@ddc/storage-node'
import { createViewer } from './server.js'

export const PUBLIC_BUCKET = '2'
/** The dev genesis' demo bucket: private, owned by //Alice. */
export const PRIVATE_BUCKET = '1'

export interface ViewerNet {
  chainUrl: string
  clsUrl: string
  nodeUrls: string[]
  viewer: Service
  /** The timeline written: owner //Bob in PUBLIC_BUCKET. */
  owner: string
  cids: string[]
  close(): Promise<void>
}

export async function startViewerNet(): Promise<ViewerNet> {
  await cryptoReady()
  const dir = mkdtempSync(join(tmpdir(), 'ddc-viewer-'))
  let chain: Chain | undefined
  const buckets = { getBucket: (id: string) => chain!.getBucket(id) }
  const nodes: StorageNode[] = []
  const nodeUrls: string[] = []
  for (let i = 1; i <= 3; i++) {
    const node = await createStorageNode({
      dataDir: join(dir, `node${i}`),
      buckets,
      verifyWorkers: 0,
      defaultMetrics: false,
    })
    nodeUrls.push(await node.app.listen({ host: '127.0.0.1', port: 0 }))
    nodes.push(node)
  }
  const genesis = await devGenesis({ nodeEndpoints: nodeUrls })
  genesis.buckets.push({
    id: PUBLIC_BUCKET,
    owner: createAccount({ uri: '//Alice' }).address,
    cluster: DEV_CLUSTER,
    isPublic: true,
    settings: {},
  })
  const chainNode = await createChainNode({
    dataDir: join(dir, 'chain'),
    genesis,
    blockIntervalMs: 50,
    logger: false,
    defaultMetrics: false,
  })
  const chainUrl = await chainNode.app.listen({ host: '127.0.0.1', port: 0 })
  chain = devChainClient({ url: chainUrl })
  const cls = await createCls({ chain, dataDir: join(dir, 'cls'), logger: false, defaultMetrics: false })
  const clsUrl = await cls.app.listen({ host: '127.0.0.1', port: 0 })

  const bob = createClient({ signer: createAccount({ uri: '//Bob' }), cls: clsUrl })
  const stored = await bob.appendMany(PUBLIC_BUCKET, [
    { type: 'page_view', data: { page: '/pricing', lang: 'en' } },
    { type: 'page_view', data: { page: '/checkout', lang: 'en' } },
    { type: 'click', data: { button: 'buy' } },
  ])
  await bob.append(PRIVATE_BUCKET, { type: 'secret', data: { note: 'private' } })
  const viewer = await createViewer({ chain: chainUrl, cls: clsUrl, timeoutMs: 3000, defaultMetrics: false })
  return {
    chainUrl,
    clsUrl,
    nodeUrls,
    viewer,
    owner: bob.address,
    cids: stored.map((e) => String((e.cid as unknown as { toString(): string }).toString())),
    async close() {
      await viewer.close()
      await cls.close()
      await chain!.close()
      await chainNode.close()
      for (const n of nodes) await n.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
