/**
 * `substrateChain({network, signer})`: the `Chain` interface on any Substrate node through
 * @polkadot/api (DESIGN.md "Chain"). Anchors and event CIDs are `system.remarkWithEvent` remarks
 * (../remark.ts), present on every FRAME chain; a payment rides with its CID in one atomic
 * `utility.batchAll`; balances go through `balances`. Buckets, clusters and nodes come from Cere's DDC
 * pallets when the runtime has them, else from configuration.
 *
 * A Substrate node keeps no index by remark content, so `findAnchor`/`findRemark` need the block
 * (`at`) for records this process did not submit or see; usage-based payouts are run by Cere's
 * ddcPayouts pallet (validators), not by clients, and are not offered here.
 */
import { type CID, cryptoReady, toAccountId, toAddress, UnavailableError } from '@ddc/core'
import { ApiPromise, WsProvider } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { ProviderInterface } from '@polkadot/rpc-provider/types'
import type { AnchorRecord, Chain, LookupOptions, RemarkRecord, TxReceipt } from '../chain.js'
import { NoSignerError, NotSupportedError } from '../errors.js'
import { ddcRecordsInBlock, finalizedBlocks, finalizedNumber, readBlock } from './blocks.js'
import { anchorCall, type CallModules, cidRemarkCall } from './calls.js'
import { cerePallets, configTopology, type TopologyConfig } from './ddc-pallets.js'
import { resolveNetwork, type SubstrateNetwork } from './presets.js'
import type { SubstrateSigner } from './signer.js'
import { type SubmitOptions, submitExtrinsic } from './submit.js'

export interface SubstrateChainInit {
  network: SubstrateNetwork
  /** Signs extrinsics; reads need none. */
  signer?: SubstrateSigner
  /** Replaces the network's WebSocket endpoints (e.g. a ReplayProvider in tests). */
  provider?: ProviderInterface
  /** Shares an existing connection (not disconnected by close()). */
  api?: ApiPromise
  /** Buckets, clusters and nodes for chains without the DDC pallets. */
  topology?: TopologyConfig
  /** How long to wait for the connection (default 30 s). */
  connectTimeoutMs?: number
  /** How long to wait for a transaction's finality (default 120 s). */
  finalityTimeoutMs?: number
}

const MAX_SCAN = 1000

async function connect(init: SubstrateChainInit): Promise<ApiPromise> {
  const preset = resolveNetwork(init.network)
  const provider = init.provider ?? new WsProvider(preset.endpoints, 2_500)
  const creating = ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnavailableError(`no answer from ${preset.endpoints.join(', ')}`)),
      init.connectTimeoutMs ?? 30_000,
    )
  })
  try {
    return await Promise.race([creating, timeout])
  } catch (err) {
    void provider.disconnect().catch(() => {})
    throw err instanceof UnavailableError
      ? err
      : new UnavailableError(`cannot connect: ${(err as Error).message}`, { cause: err })
  } finally {
    clearTimeout(timer)
  }
}

export async function substrateChain(init: SubstrateChainInit): Promise<Chain> {
  await cryptoReady()
  const api = init.api ?? (await connect(init))
  const preset = resolveNetwork(init.network)
  const ss58 = () => (api.registry.chainSS58 ?? preset.ss58Prefix) as number
  const ddc = (api.tx as Record<string, unknown>).ddcCustomers ? cerePallets(api) : configTopology(init.topology)
  const seenAnchors = new Map<string, AnchorRecord>()
  const seenRemarks = new Map<string, RemarkRecord>()

  const signer = (): SubstrateSigner => {
    if (!init.signer) throw new NoSignerError('this Chain has no signer; pass one to substrateChain({signer})')
    return init.signer
  }
  const sendFull = (tx: Parameters<typeof submitExtrinsic>[1], opts?: SubmitOptions) =>
    submitExtrinsic(api, tx, signer(), { timeoutMs: init.finalityTimeoutMs, ...opts })
  /** The receipt alone (the raw polkadot-js event records stay inside the adapter). */
  const send = async (tx: Parameters<typeof submitExtrinsic>[1], opts?: SubmitOptions): Promise<TxReceipt> => {
    const { txHash, block, finalized, fee, events } = await sendFull(tx, opts)
    return { txHash, block, finalized, events, ...(fee === undefined ? {} : { fee }) }
  }
  const signerId = () => toAccountId(signer().address)
  const calls = () => api.tx as unknown as CallModules<SubmittableExtrinsic<'promise'>>

  /** Reads the block a record landed in and remembers what DDC records it holds. */
  async function scan(at: number | string) {
    const found = ddcRecordsInBlock(await readBlock(api, at), await finalizedNumber(api))
    for (const a of found.anchors) if (!seenAnchors.has(a.root.toString())) seenAnchors.set(a.root.toString(), a)
    for (const r of found.remarks) if (!seenRemarks.has(r.cid.toString())) seenRemarks.set(r.cid.toString(), r)
    return found
  }
  async function lookup<T extends { block: { number: number }; finalized: boolean }>(
    seen: Map<string, T>,
    cid: CID,
    opts: LookupOptions | undefined,
  ): Promise<T | undefined> {
    const known = seen.get(cid.toString())
    if (known) return { ...known, finalized: known.block.number <= (await finalizedNumber(api)) }
    if (opts?.at === undefined) {
      throw new NotSupportedError(
        'a Substrate node has no index by remark content: pass {at: <block number or hash>} from the proof',
      )
    }
    await scan(opts.at)
    return seen.get(cid.toString())
  }

  const payouts = () => {
    throw new NotSupportedError(
      "usage-based payouts on Cere run through the ddcPayouts pallet, driven by the cluster's validators",
    )
  }

  return {
    get address() {
      return init.signer ? toAddress(toAccountId(init.signer.address), ss58()) : undefined
    },
    async info() {
      return {
        kind: 'substrate',
        name: (await api.rpc.system.chain()).toString(),
        ss58Prefix: ss58(),
        token: { symbol: api.registry.chainTokens[0] ?? 'UNIT', decimals: api.registry.chainDecimals[0] ?? 12 },
        genesisHash: api.genesisHash.toHex(),
      }
    },
    async head() {
      const [best, finalizedHash] = await Promise.all([api.rpc.chain.getHeader(), api.rpc.chain.getFinalizedHead()])
      const finalized = await api.rpc.chain.getHeader(finalizedHash)
      return {
        best: { number: best.number.toNumber(), hash: best.hash.toHex() },
        finalized: { number: finalized.number.toNumber(), hash: finalizedHash.toHex() },
      }
    },
    getBlock: async (id) => (await readBlock(api, id)).info,
    async *finalizedBlocks(opts) {
      for await (const b of finalizedBlocks(api, opts)) yield b.info
    },

    async getAccount(who) {
      const id = toAccountId(who)
      const acct = (await api.query.system!.account!(id)) as unknown as {
        nonce: { toNumber(): number }
        data: { free: { toBigInt(): bigint }; reserved: { toBigInt(): bigint } }
      }
      return {
        accountId: id,
        address: toAddress(id, ss58()),
        free: acct.data.free.toBigInt(),
        reserved: acct.data.reserved.toBigInt(),
        deposit: await ddc.deposit(id),
        nonce: acct.nonce.toNumber(),
      }
    },
    transfer: (to, amount, opts) => send(api.tx.balances!.transferKeepAlive!(toAddress(toAccountId(to)), amount), opts),

    getBucket: (id) => ddc.getBucket(id),
    async createBucket(b, opts) {
      const { records, ...receipt } = await sendFull(ddc.createBucket(b), opts)
      return { bucket: await ddc.getBucket(ddc.bucketIdFrom(records)), receipt }
    },
    async updateBucket(id, update, opts) {
      const receipt = await send(ddc.updateBucket(id, update), opts)
      return { bucket: await ddc.getBucket(id), receipt }
    },
    listBuckets: (owner) => ddc.listBuckets(toAccountId(owner)),

    listClusters: () => ddc.listClusters(),
    getCluster: (id) => ddc.getCluster(id),
    createCluster: async () => {
      throw new NotSupportedError("Cere clusters are created through the chain's governance, not by a client")
    },
    listNodes: (filter) => ddc.listNodes(filter?.clusterId),
    getNode: (id) => ddc.getNode(id),
    registerNode: (n, opts) => send(ddc.registerNode(n), opts),
    updateNode: (id, update, opts) => send(ddc.updateNode(id, update), opts),
    addNodeToCluster: (clusterId, nodeId, opts) => send(ddc.addNode(clusterId, nodeId), opts),

    async submitAnchor(anchor, opts) {
      const receipt = await send(anchorCall(calls(), anchor), opts)
      const block = await readBlock(api, receipt.block.hash)
      const record: AnchorRecord = {
        txHash: receipt.txHash,
        block: receipt.block,
        finalized: true,
        timestamp: block.info.timestamp,
        root: anchor.root,
        count: anchor.count,
        ...(anchor.period === undefined ? {} : { period: anchor.period }),
        submitter: signerId(),
      }
      seenAnchors.set(anchor.root.toString(), record)
      return record
    },
    findAnchor: (root, opts) => lookup(seenAnchors, root, opts),
    async listAnchors(range) {
      if (range.toBlock < range.fromBlock || range.toBlock - range.fromBlock >= MAX_SCAN) {
        throw new NotSupportedError(`a Substrate node is scanned block by block: at most ${MAX_SCAN} blocks at once`)
      }
      const out: AnchorRecord[] = []
      for (let n = range.fromBlock; n <= range.toBlock; n++) out.push(...(await scan(n)).anchors)
      return out
    },
    async *anchors(opts) {
      for await (const b of finalizedBlocks(api, opts)) {
        for (const a of ddcRecordsInBlock(b, b.info.number).anchors) {
          seenAnchors.set(a.root.toString(), a)
          yield a
        }
      }
    },

    async submitRemark(cid, opts = {}) {
      const transfer = opts.transfer && { to: toAccountId(opts.transfer.to), amount: opts.transfer.amount }
      const receipt = await send(cidRemarkCall(calls(), cid, transfer), opts)
      const block = await readBlock(api, receipt.block.hash)
      const record: RemarkRecord = {
        txHash: receipt.txHash,
        block: receipt.block,
        finalized: true,
        timestamp: block.info.timestamp,
        cid,
        sender: signerId(),
        ...(transfer ? { transfer: { from: signerId(), ...transfer } } : {}),
      }
      seenRemarks.set(cid.toString(), record)
      return record
    },
    findRemark: (cid, opts) => lookup(seenRemarks, cid, opts),

    async deposit(amount, opts) {
      return send(await ddc.addDeposit(amount, signerId()), opts)
    },
    withdrawDeposit: (amount, opts) => send(ddc.withdrawDeposit(amount), opts),
    submitUsage: async () => payouts(),
    getUsage: async () => payouts(),
    runPayout: async () => payouts(),
    findPayout: async () => payouts(),

    async close() {
      if (!init.api) await api.disconnect()
    },
  }
}
