/**
 * Test-only: the shared in-process test network (@ddc/testing/testnet), some events appended with the
 * SDK (three to //Bob's timeline in the public bucket, one to the private bucket), and a viewer over it.
 */
import { createAccount } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import type { Service } from '@ddc/service'
import { DEMO_BUCKET, PUBLIC_BUCKET, startTestNet } from '@ddc/testing/testnet'
import { createViewer } from './server.js'

export { PUBLIC_BUCKET }
/** The dev genesis' demo bucket: private, owned by //Alice. */
export const PRIVATE_BUCKET = DEMO_BUCKET

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
  const net = await startTestNet()
  const bob = createClient({ signer: createAccount({ uri: '//Bob' }), cls: net.cls })
  const stored = await bob.appendMany(PUBLIC_BUCKET, [
    { type: 'page_view', data: { page: '/pricing', lang: 'en' } },
    { type: 'page_view', data: { page: '/checkout', lang: 'en' } },
    { type: 'click', data: { button: 'buy' } },
  ])
  await bob.append(PRIVATE_BUCKET, { type: 'secret', data: { note: 'private' } })
  const viewer = await createViewer({ chain: net.chainUrl, cls: net.cls, timeoutMs: 3000, defaultMetrics: false })
  return {
    chainUrl: net.chainUrl,
    clsUrl: net.cls,
    nodeUrls: net.nodes.map((n) => n.url),
    viewer,
    owner: bob.address,
    cids: stored.map((e) => e.cid.toString()),
    async close() {
      await viewer.close()
      await net.close()
    },
  }
}
