/**
 * Buckets, clusters and nodes on a Substrate chain. On Cere's runtime they come from the DDC pallets
 * (ddcCustomers, ddcClusters, ddcNodes) — field names as Cere's SDK reads them; argument shapes
 * checked against the runtime's metadata, since they changed across Cere runtime versions. On any
 * other chain they come from configuration and are read-only.
 *
 * NOT exercised against a live Cere node from this repository's tests (no node, no Cere metadata
 * offline): see README "What is not verified live".
 */
import { InvalidInputError, NotFoundError, toAccountId, toHex } from '@ddc/core'
import type { ApiPromise } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { EventRecord } from '@polkadot/types/interfaces'
import { hexToU8a, isHex, u8aToString } from '@polkadot/util'
import type {
  Bucket,
  BucketUpdate,
  Cluster,
  CreateBucketInit,
  NodeUpdate,
  RegisterNodeInit,
  StorageNode,
} from '../chain.js'
import { NotSupportedError } from '../errors.js'
import { nodeIdOf, nodeKeyOf } from '../node-id.js'

export interface TopologyConfig {
  clusters?: Cluster[]
  nodes?: StorageNode[]
  buckets?: Bucket[]
}

type Tx = SubmittableExtrinsic<'promise'>
// biome-ignore lint/suspicious/noExplicitAny: runtime-specific pallet values are read field by field
type Json = any

export interface DdcTopology {
  readonly onChain: boolean
  getBucket(id: string): Promise<Bucket>
  listBuckets(owner: Uint8Array): Promise<Bucket[]>
  listClusters(): Promise<Cluster[]>
  getCluster(id: string): Promise<Cluster>
  listNodes(clusterId?: string): Promise<StorageNode[]>
  getNode(id: string): Promise<StorageNode>
  deposit(who: Uint8Array): Promise<bigint>
  createBucket(init: CreateBucketInit): Tx
  bucketIdFrom(records: readonly EventRecord[]): string
  updateBucket(id: string, update: BucketUpdate): Tx
  registerNode(init: RegisterNodeInit): Tx
  updateNode(id: string, update: NodeUpdate): Tx
  addNode(clusterId: string, nodeId: string): Tx
  addDeposit(amount: bigint, who: Uint8Array): Promise<Tx>
  withdrawDeposit(amount: bigint): Tx
}

const text = (v: unknown): string => (typeof v === 'string' && isHex(v) ? u8aToString(hexToU8a(v)) : String(v ?? ''))
const unsupported = (what: string) => () => {
  throw new NotSupportedError(`${what} needs the DDC pallets; this chain has none (topology comes from configuration)`)
}

/** Topology from configuration: for chains without the DDC pallets. */
export function configTopology(config: TopologyConfig = {}): DdcTopology {
  const find = <T>(list: T[] | undefined, pred: (t: T) => boolean, what: string): T => {
    const found = list?.find(pred)
    if (!found) throw new NotFoundError(`${what} is not in this adapter's topology configuration`)
    return found
  }
  return {
    onChain: false,
    getBucket: async (id) => find(config.buckets, (b) => b.id === id, `bucket ${id}`),
    listBuckets: async (owner) => (config.buckets ?? []).filter((b) => toHex(b.owner) === toHex(owner)),
    listClusters: async () => config.clusters ?? [],
    getCluster: async (id) => find(config.clusters, (c) => c.id === id, `cluster ${id}`),
    listNodes: async (clusterId) =>
      (config.nodes ?? []).filter((n) => clusterId === undefined || n.clusterId === clusterId),
    getNode: async (id) => find(config.nodes, (n) => n.id === nodeIdOf(nodeKeyOf(id)), `node ${id}`),
    deposit: async () => 0n,
    createBucket: unsupported('creating buckets'),
    bucketIdFrom: unsupported('creating buckets'),
    updateBucket: unsupported('updating buckets'),
    registerNode: unsupported('registering nodes'),
    updateNode: unsupported('updating nodes'),
    addNode: unsupported('adding nodes to clusters'),
    addDeposit: unsupported('DDC deposits'),
    withdrawDeposit: unsupported('DDC deposits'),
  }
}

/** True when the call's argument `index` is a plain bool in this runtime (older: a params struct). */
function argIsBool(
  api: ApiPromise,
  fn: { meta: { args: { type: { toString(): string } }[] } },
  index: number,
): boolean {
  const arg = fn.meta.args[index]
  return arg !== undefined && api.registry.createType(arg.type.toString()).toRawType() === 'bool'
}

function nodeParams(endpoint: string) {
  const u = new URL(endpoint)
  const ssl = u.protocol === 'https:'
  const port = Number(u.port || (ssl ? 443 : 80))
  const isIp = /^[0-9.]+$|^\[/.test(u.hostname)
  const params = {
    host: isIp ? u.hostname : '',
    domain: isIp ? '' : u.hostname,
    ssl,
    httpPort: port,
    grpcPort: 0,
    p2pPort: 0,
    mode: 'Storage',
  }
  return { StorageParams: params }
}

/** Cere's DDC pallets. */
export function cerePallets(api: ApiPromise): DdcTopology {
  const q = api.query as Json
  const tx = api.tx as Json
  const bucket = (id: string, j: Json): Bucket => ({
    id: String(j.bucketId ?? id),
    owner: toAccountId(j.ownerId),
    clusterId: String(j.clusterId),
    isPublic: Boolean(j.isPublic ?? j.publicAvailability ?? false),
    settings: {},
  })
  const node = (j: Json): StorageNode => {
    const p = j.props ?? {}
    const host = text(p.domain) || text(p.host)
    const key = toAccountId(j.pubKey)
    const n: StorageNode = {
      id: nodeIdOf(key),
      publicKey: key,
      provider: toAccountId(j.providerId),
      endpoints: host ? [`${p.ssl ? 'https' : 'http'}://${host}:${p.httpPort}`] : [],
      status: 'active',
    }
    if (j.clusterId) n.clusterId = String(j.clusterId)
    return n
  }
  const getCluster = async (id: string): Promise<Cluster> => {
    const j = (await q.ddcClusters.clusters(id)).toJSON()
    if (!j) throw new NotFoundError(`cluster ${id} not found`)
    const keys = await q.ddcClusters.clustersNodes.keys(id)
    return {
      id,
      manager: toAccountId(j.managerId),
      replicationFactor: Number(j.props?.replicationTotal ?? 3),
      nodes: keys.map((k: Json) => nodeIdOf(k.args[1].value.toU8a())),
    }
  }
  const storageKey = (id: string) => ({ StoragePubKey: nodeKeyOf(id) })
  return {
    onChain: true,
    async getBucket(id) {
      if (!/^[0-9]+$/.test(id)) throw new NotFoundError(`bucket ${id} not found (Cere bucket ids are numbers)`)
      const j = (await q.ddcCustomers.buckets(BigInt(id))).toJSON()
      if (!j || j.isRemoved) throw new NotFoundError(`bucket ${id} not found`)
      return bucket(id, j)
    },
    async listBuckets(owner) {
      const entries = await q.ddcCustomers.buckets.entries()
      return entries
        .map(([k, v]: Json) => [String(k.args[0].toString()), v.toJSON()])
        .filter(([, j]: Json) => j && !j.isRemoved && toHex(toAccountId(j.ownerId)) === toHex(owner))
        .map(([id, j]: Json) => bucket(id, j))
    },
    async listClusters() {
      const keys = await q.ddcClusters.clusters.keys()
      return Promise.all(keys.map((k: Json) => getCluster(k.args[0].toHex())))
    },
    getCluster,
    async listNodes(clusterId) {
      const entries = await q.ddcNodes.storageNodes.entries()
      return entries
        .map(([, v]: Json) => node(v.toJSON()))
        .filter((n: StorageNode) => !clusterId || n.clusterId === clusterId)
    },
    async getNode(id) {
      const j = (await q.ddcNodes.storageNodes(nodeKeyOf(id))).toJSON()
      if (!j) throw new NotFoundError(`storage node ${id} not found`)
      return node(j)
    },
    async deposit(who) {
      // Older runtimes keep one ledger per account; newer ones per (cluster, account) — not read here.
      if (!q.ddcCustomers?.ledger) return 0n
      const j = (await q.ddcCustomers.ledger(who)).toJSON()
      return j ? BigInt(j.active ?? 0) : 0n
    },
    createBucket(init) {
      const fn = tx.ddcCustomers.createBucket
      if (fn.meta.args.length === 1) return fn(init.clusterId)
      return fn(init.clusterId, argIsBool(api, fn, 1) ? (init.isPublic ?? false) : { isPublic: init.isPublic ?? false })
    },
    bucketIdFrom(records) {
      const ev = records.find(({ event }) => event.section === 'ddcCustomers' && event.method === 'BucketCreated')
      if (!ev) throw new InvalidInputError('no ddcCustomers.BucketCreated event in the receipt')
      const data = ev.event.data
      const i = data.names?.indexOf('bucketId') ?? -1
      return data[i >= 0 ? i : data.length - 1]!.toString()
    },
    updateBucket(id, update) {
      if (update.settings !== undefined) throw new NotSupportedError('Cere buckets have no settings besides isPublic')
      const fn = tx.ddcCustomers.setBucketParams
      const isPublic = update.isPublic ?? false
      return fn(BigInt(id), argIsBool(api, fn, 1) ? isPublic : { isPublic })
    },
    registerNode(init) {
      const endpoint = init.endpoints[0]
      if (!endpoint) throw new InvalidInputError('a node needs an endpoint')
      return tx.ddcNodes.createNode({ StoragePubKey: toAccountId(init.publicKey) }, nodeParams(endpoint))
    },
    updateNode(id, update) {
      if (!update.endpoints?.[0]) throw new NotSupportedError('Cere nodes have no status; only their endpoint changes')
      return tx.ddcNodes.setNodeParams(storageKey(id), nodeParams(update.endpoints[0]))
    },
    addNode(clusterId, nodeId) {
      const fn = tx.ddcClusters.addNode
      return fn.meta.args.length >= 3
        ? fn(clusterId, storageKey(nodeId), 'External')
        : fn(clusterId, storageKey(nodeId))
    },
    async addDeposit(amount, who) {
      if (tx.ddcCustomers.deposit.meta.args.length !== 1) {
        throw new NotSupportedError('this runtime keeps deposits per cluster; not supported by this adapter yet')
      }
      const hasLedger = (await this.deposit(who)) > 0n
      return hasLedger ? tx.ddcCustomers.depositExtra(amount) : tx.ddcCustomers.deposit(amount)
    },
    withdrawDeposit: (amount) => tx.ddcCustomers.unlockDeposit(amount),
  }
}
