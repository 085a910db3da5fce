/**
 * `devChainClient({url, signer})`: the `Chain` interface over the dev chain's HTTP/WebSocket API.
 * Transactions are built and signed here, with the caller's Signer (one signRaw each), and the node
 * only ever sees signed bytes. Submissions from one client are serialized (nonce → sign → submit) so
 * concurrent calls never race for a nonce; waiting for finality happens outside that lock.
 */
import { InvalidInputError, NotFoundError, requestJson, type Signer, toAccountId, toAddress, toHex } from '@ddc/core'
import type {
  AnchorRecord,
  BlockInfo,
  Chain,
  ChainInfo,
  RemarkOptions,
  SubscribeOptions,
  TxOptions,
  TxReceipt,
} from '../chain.js'
import { NoSignerError, PeriodClosedError } from '../errors.js'
import { nodeKeyOf } from '../node-id.js'
import { blockStream } from './block-stream.js'
import { type Call, type CallArgs, signTx } from './transaction.js'
import * as w from './wire.js'

export interface DevChainClientInit {
  /** Base URL of the chain node, e.g. `http://127.0.0.1:9944`. */
  url: string
  /** Signs this client's transactions; reads need none. */
  signer?: Signer
  /** Blocks a transaction stays valid for after the current best block (default 64). */
  eraBlocks?: number
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number
}

const enc = encodeURIComponent

/** Amounts travel as DAG-CBOR integers, which stop at 2^64. */
function amountArg(n: bigint, name = 'amount'): bigint {
  if (n <= 0n || n >= 1n << 64n) throw new InvalidInputError(`${name} must be positive and below 2^64, got ${n}`)
  return n
}

export function devChainClient(init: DevChainClientInit): Chain {
  const base = init.url.replace(/\/+$/, '')
  let infoCache: Promise<w.WireChainInfo> | undefined
  let lock: Promise<unknown> = Promise.resolve()

  const get = <T>(path: string, signal?: AbortSignal) =>
    requestJson<T>(`${base}${path}`, { signal, timeoutMs: init.timeoutMs ?? 30_000 })
  const post = <T>(path: string, body: unknown, signal?: AbortSignal) =>
    requestJson<T>(`${base}${path}`, { body, signal, timeoutMs: init.timeoutMs ?? 30_000 })
  const optional = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p
    } catch (err) {
      if (err instanceof NotFoundError) return undefined
      throw err
    }
  }
  const chainInfo = () => {
    infoCache ??= get<w.WireChainInfo>('/chain').catch((err) => {
      infoCache = undefined
      throw err
    })
    return infoCache
  }

  /** Signs and submits under the lock; answers once the transaction is in a finalized block. */
  async function submit(call: Call, opts: TxOptions = {}): Promise<w.WireTx> {
    const signer = init.signer
    if (!signer) throw new NoSignerError('this Chain has no signer; pass one to devChainClient({signer})')
    const { genesisHash } = await chainInfo()
    const run = lock.then(async () => {
      const [acct, head] = await Promise.all([
        get<w.WireAccount>(`/accounts/${enc(signer.address)}`, opts.signal),
        get<{ best: w.WireBlockRef }>('/chain/head', opts.signal),
      ])
      const tx = await signTx(signer, call, {
        genesisHash: toAccountId(genesisHash),
        nonce: acct.nextNonce,
        validUntil: head.best.number + (init.eraBlocks ?? 64),
        tip: opts.tip,
      })
      await post<w.WireTx>('/tx', { tx: toHex(tx.bytes) }, opts.signal)
      return tx.hash
    })
    lock = run.catch(() => undefined)
    const hash = await run
    for (;;) {
      const tx = await get<w.WireTx>(`/tx/${hash}?wait=finalized`, opts.signal)
      if (tx.status === 'finalized') return tx
    }
  }
  const receipt = async (call: Call, opts?: TxOptions): Promise<TxReceipt> =>
    w.receiptFromWireTx(await submit(call, opts))

  const eventOf = (tx: w.WireTx, name: string) => {
    const ev = tx.events.find((e) => e.name === name)
    if (!ev) throw new Error(`transaction ${tx.hash} has no ${name} event`)
    return ev.data
  }

  async function* finalizedBlocks(opts: SubscribeOptions = {}): AsyncGenerator<BlockInfo> {
    for await (const msg of blockStream({ url: base, stream: 'finalized', from: opts.from, signal: opts.signal })) {
      yield w.fromWireBlock(msg.block)
    }
  }

  async function* anchors(opts: SubscribeOptions = {}): AsyncGenerator<AnchorRecord> {
    for await (const msg of blockStream({ url: base, stream: 'finalized', from: opts.from, signal: opts.signal })) {
      for (const ev of msg.block.events) {
        if (ev.name !== 'anchors.Submitted' || !ev.tx) continue
        const d = ev.data as { root: string; count: number; period?: number; submitter: string }
        yield w.fromWireAnchor({
          ...d,
          txHash: ev.tx,
          block: { number: msg.block.number, hash: msg.block.hash },
          finalized: true,
          timestamp: msg.block.timestamp,
        })
      }
    }
  }

  const chain: Chain = {
    address: init.signer?.address,

    info: async (signal): Promise<ChainInfo> => w.fromWireInfo(await (signal ? get('/chain', signal) : chainInfo())),
    head: async (signal) => {
      const h = await get<{ best: w.WireBlockRef; finalized: w.WireBlockRef }>('/chain/head', signal)
      return { best: w.fromWireRef(h.best), finalized: w.fromWireRef(h.finalized) }
    },
    getBlock: async (id, signal) => w.fromWireBlock(await get(`/blocks/${enc(String(id))}`, signal)),
    finalizedBlocks,

    getAccount: async (who, signal) => {
      const info = await chainInfo()
      return w.fromWireAccount(await get(`/accounts/${enc(toAddress(toAccountId(who), info.ss58Prefix))}`, signal))
    },
    transfer: (to, amount, opts) =>
      receipt({ call: 'balances.transfer', args: { to: toAccountId(to), amount: amountArg(amount) } }, opts),

    getBucket: async (id, signal) => w.fromWireBucket(await get(`/buckets/${enc(id)}`, signal)),
    createBucket: async (b, opts) => {
      const args = { cluster: b.clusterId, isPublic: b.isPublic ?? false, settings: b.settings ?? {} }
      const tx = await submit({ call: 'buckets.create', args }, opts)
      const id = String(eventOf(tx, 'buckets.Created').bucket)
      return { bucket: await chain.getBucket(id, opts?.signal), receipt: w.receiptFromWireTx(tx) }
    },
    updateBucket: async (id, update, opts) => {
      const args: CallArgs['buckets.update'] = { bucket: id }
      if (update.isPublic !== undefined) args.isPublic = update.isPublic
      if (update.settings !== undefined) args.settings = update.settings
      const r = await receipt({ call: 'buckets.update', args }, opts)
      return { bucket: await chain.getBucket(id, opts?.signal), receipt: r }
    },
    listBuckets: async (owner, signal) => {
      const info = await chainInfo()
      const list = await get<w.WireBucket[]>(
        `/buckets?owner=${enc(toAddress(toAccountId(owner), info.ss58Prefix))}`,
        signal,
      )
      return list.map(w.fromWireBucket)
    },

    listClusters: async (signal) => (await get<w.WireCluster[]>('/clusters', signal)).map(w.fromWireCluster),
    getCluster: async (id, signal) => w.fromWireCluster(await get(`/clusters/${enc(id)}`, signal)),
    createCluster: (c, opts) =>
      receipt({ call: 'clusters.create', args: { id: c.id, replicationFactor: c.replicationFactor ?? 3 } }, opts),
    listNodes: async (filter, signal) => {
      const q = filter?.clusterId === undefined ? '' : `?cluster=${enc(filter.clusterId)}`
      return (await get<w.WireNode[]>(`/nodes${q}`, signal)).map(w.fromWireNode)
    },
    getNode: async (id, signal) => w.fromWireNode(await get(`/nodes/${enc(id)}`, signal)),
    registerNode: (n, opts) =>
      receipt(
        {
          call: 'nodes.register',
          args: { node: toAccountId(n.publicKey), endpoints: n.endpoints, status: n.status ?? 'active' },
        },
        opts,
      ),
    updateNode: (id, update, opts) => {
      const args: CallArgs['nodes.update'] = { node: nodeKeyOf(id) }
      if (update.endpoints !== undefined) args.endpoints = update.endpoints
      if (update.status !== undefined) args.status = update.status
      return receipt({ call: 'nodes.update', args }, opts)
    },
    addNodeToCluster: (clusterId, nodeId, opts) =>
      receipt({ call: 'clusters.addNode', args: { cluster: clusterId, node: nodeKeyOf(nodeId) } }, opts),

    submitAnchor: async (a, opts) => {
      const args: CallArgs['anchors.submit'] = { root: a.root, count: a.count }
      if (a.period !== undefined) args.period = a.period
      const tx = await submit({ call: 'anchors.submit', args }, opts)
      return (await chain.findAnchor(a.root, { signal: opts?.signal, at: tx.block?.number }))!
    },
    findAnchor: async (root, opts) => {
      const a = await optional(get<w.WireAnchor>(`/anchors/${root.toString()}`, opts?.signal))
      return a && w.fromWireAnchor(a)
    },
    listAnchors: async (r) =>
      (await get<w.WireAnchor[]>(`/anchors?from=${r.fromBlock}&to=${r.toBlock}`, r.signal)).map(w.fromWireAnchor),
    anchors,

    submitRemark: async (cid, opts: RemarkOptions = {}) => {
      const args: CallArgs['remarks.submit'] = { cid }
      if (opts.transfer)
        args.transfer = {
          to: toAccountId(opts.transfer.to),
          amount: amountArg(opts.transfer.amount, 'transfer amount'),
        }
      await submit({ call: 'remarks.submit', args }, opts)
      return (await chain.findRemark(cid, { signal: opts.signal }))!
    },
    findRemark: async (cid, opts) => {
      const r = await optional(get<w.WireRemark>(`/remarks/${cid.toString()}`, opts?.signal))
      return r && w.fromWireRemark(r)
    },

    deposit: (amount, opts) => receipt({ call: 'deposits.add', args: { amount: amountArg(amount) } }, opts),
    withdrawDeposit: (amount, opts) =>
      receipt({ call: 'deposits.withdraw', args: { amount: amountArg(amount) } }, opts),
    submitUsage: (report, opts) =>
      receipt(
        {
          call: 'usage.report',
          args: {
            cluster: report.clusterId,
            period: report.period,
            records: report.records.map((r) => ({
              bucket: r.bucketId,
              node: nodeKeyOf(r.nodeId),
              storedBytes: r.storedBytes,
              readBytes: r.readBytes,
              requests: r.requests,
            })),
          },
        },
        opts,
      ),
    getUsage: async (clusterId, period, signal) =>
      (await get<w.WireUsageRecord[]>(`/usage/${enc(clusterId)}/${period}`, signal)).map(w.fromWireUsage),
    runPayout: async (clusterId, period, opts) => {
      const existing = await chain.findPayout(clusterId, period, opts?.signal)
      if (existing) return existing
      try {
        await submit({ call: 'payouts.run', args: { cluster: clusterId, period } }, opts)
      } catch (err) {
        // Someone else paid the period between our look-up and our transaction: same outcome.
        if (!(err instanceof PeriodClosedError)) throw err
      }
      return (await chain.findPayout(clusterId, period, opts?.signal))!
    },
    findPayout: async (clusterId, period, signal) => {
      const p = await optional(get<w.WirePayout>(`/payouts/${enc(clusterId)}/${period}`, signal))
      return p && w.fromWirePayout(p)
    },

    close: async () => {},
  }
  return chain
}
