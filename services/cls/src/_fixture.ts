/**
 * Test network (not part of the service): real storage nodes on 127.0.0.1, a real dev chain whose
 * genesis lists them as the dev cluster, and a CLS over the chain — every piece started in-process
 * through its own entry point, on real sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Chain, devChainClient, nodeIdOf } from '@ddc/chain'
import { createChainNode, DEV_CLUSTER, devAccount, devGenesis, devNodeUri } from '@ddc/chain-node'
import {
  createAccount,
  cryptoReady,
  type EventDraft,
  type Head,
  type LocalSigner,
  linkEvents,
  type SignedEvent,
  sealToJson,
  signEvents,
} from '@ddc/core'
import { requestJson } from '@ddc/service'
import { createStorageNode, type StorageNode } from '@ddc/storage-node'
import { type Cls, type ClsInit, createCls } from './server.js'

export interface TestNode {
  /** Node id on chain (0x-hex of //DdcNode<i>). */
  id: string
  url: string
  port: number
  running(): boolean
  /** Stops answering: the HTTP server and store close (the data stays on disk). */
  stop(): Promise<void>
  /** Serves again, same port, same data. */
  start(): Promise<void>
}

export interface TestNetwork {
  dir: string
  chainUrl: string
  /** A chain client with no signer, as the CLS would get. */
  chain: Chain
  nodes: TestNode[]
  /** A chain client that signs as the given dev account. */
  signed(name: 'Alice' | 'Bob' | 'Charlie'): Promise<Chain>
  startCls(init?: Partial<ClsInit>): Promise<Cls & { url: string }>
  close(): Promise<void>
}

export async function startNetwork(opts: { nodes: number; blockIntervalMs?: number }): Promise<TestNetwork> {
  await cryptoReady()
  const dir = mkdtempSync(join(tmpdir(), 'ddc-cls-'))
  let chain: Chain | undefined
  // Storage nodes start before the chain (its genesis names their URLs), so they reach it lazily.
  const buckets = { getBucket: (id: string) => chain!.getBucket(id) }
  const nodes: TestNode[] = []
  const closers: (() => Promise<void>)[] = []
  for (let i = 1; i <= opts.nodes; i++) {
    const dataDir = join(dir, `node${i}`)
    let node: StorageNode | undefined
    let port = 0
    const start = async () => {
      node = await createStorageNode({ dataDir, buckets, verifyWorkers: 0, defaultMetrics: false })
      await node.app.listen({ host: '127.0.0.1', port })
      port = (node.app.server.address() as { port: number }).port
    }
    await start()
    const stop = async () => {
      const n = node
      node = undefined
      await n?.close()
    }
    closers.push(stop)
    nodes.push({
      id: nodeIdOf(createAccount({ uri: devNodeUri(i) }).accountId),
      url: `http://127.0.0.1:${port}`,
      port,
      running: () => node !== undefined,
      stop,
      start,
    })
  }
  const genesis = await devGenesis({ nodeEndpoints: nodes.map((n) => n.url) })
  const chainNode = await createChainNode({
    dataDir: join(dir, 'chain'),
    genesis,
    blockIntervalMs: opts.blockIntervalMs ?? 50,
    logger: false,
    defaultMetrics: false,
  })
  const chainUrl = await chainNode.app.listen({ host: '127.0.0.1', port: 0 })
  chain = devChainClient({ url: chainUrl })
  const clients: Chain[] = [chain]
  const clsList: Cls[] = []

  return {
    dir,
    chainUrl,
    chain,
    nodes,
    async signed(name) {
      const c = devChainClient({ url: chainUrl, signer: await devAccount(name) })
      clients.push(c)
      return c
    },
    async startCls(init = {}) {
      const cls = await createCls({
        chain: chain!,
        dataDir: join(dir, `cls${clsList.length}`),
        logger: false,
        defaultMetrics: false,
        ...init,
      })
      clsList.push(cls)
      const url = await cls.app.listen({ host: '127.0.0.1', port: 0 })
      return Object.assign(cls, { url })
    },
    async close() {
      for (const c of clsList) await c.close()
      for (const c of clients) await c.close()
      await chainNode.close()
      for (const close of closers) await close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export { DEV_CLUSTER }

/** `count` dev-style user accounts (//User0 …), to own timelines. */
export function users(count: number, prefix = 'User'): LocalSigner[] {
  return Array.from({ length: count }, (_, k) => createAccount({ uri: `//${prefix}${k}` }))
}

/** Links and signs `count` events of `signer`'s own timeline in `bucket`, after `head`. */
export async function buildEvents(signer: LocalSigner, bucket: string, head: Head | null, count: number) {
  const drafts: EventDraft[] = Array.from({ length: count }, (_, k) => ({
    bucket,
    owner: signer.accountId,
    id: `ev-${(head ? head.seq + 1 : 0) + k}`,
    type: 'page_view',
    ts: 1_735_689_600_000 + k,
    pub: { k },
  }))
  return signEvents(signer, linkEvents(head, drafts))
}

/** Appends events to a storage node over HTTP (the owner signs its own timeline: no capability needed). */
export async function append(nodeUrl: string, events: readonly SignedEvent[]): Promise<void> {
  await requestJson(`${nodeUrl}/events`, {
    body: {
      events: events.map((e) => ({ envelope: Buffer.from(e.bytes).toString('base64'), seal: sealToJson(e.seal) })),
    },
  })
}

export const headOf = (events: readonly SignedEvent[]): Head => {
  const last = events[events.length - 1]!
  return { seq: last.envelope.seq, cid: last.cid }
}

/** Polls `check` until it holds (or fails after `timeoutMs`). */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
