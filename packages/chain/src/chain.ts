/**
 * The `Chain` interface: everything DDC's services and SDK need from a blockchain (DESIGN.md "Chain").
 * Two implementations sit behind it: the embedded dev chain (`devChainClient`) and any Substrate node
 * (`substrateChain` from `@ddc/chain/substrate`). Every method that submits a transaction resolves
 * once that transaction is in a finalized block, with the block it landed in, or rejects with a typed
 * error (./errors.ts) and changes nothing.
 *
 * Accounts are AccountId32 bytes in results (as in envelopes); inputs take SS58 text or the bytes.
 * Amounts are bigint in the token's smallest unit. `get*` throws ERR_NOT_FOUND for what does not
 * exist; `find*` answers `undefined`.
 */
import type { CID } from '@ddc/core'
import type { BucketDirectory, BucketInfo } from './bucket.js'

/** SS58 text (any prefix) or 32 AccountId32 bytes. */
export type AccountLike = string | Uint8Array

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export interface ChainInfo {
  kind: 'dev' | 'substrate'
  name: string
  ss58Prefix: number
  token: { symbol: string; decimals: number }
  /** 0x-hex hash of block 0: names the chain in every signed transaction. */
  genesisHash: string
}

export interface BlockRef {
  number: number
  hash: string
}

export interface ChainHead {
  best: BlockRef
  finalized: BlockRef
}

/** A runtime event: `section.Method` (e.g. `anchors.Submitted`, `balances.Transfer`) and its fields. */
export interface ChainEvent {
  name: string
  data: Record<string, unknown>
}

export interface BlockInfo {
  number: number
  hash: string
  parentHash: string
  stateRoot: string
  extrinsicsRoot: string
  /** Milliseconds since the epoch, as set by the block author. */
  timestamp: number
  txHashes: string[]
  events: ChainEvent[]
}

/** Where a transaction landed. Submitting methods resolve only once `finalized` is true. */
export interface TxReceipt {
  txHash: string
  block: BlockRef
  finalized: boolean
  /** Fee charged to the sender (when the chain reports it). */
  fee?: bigint
  events: ChainEvent[]
}

export interface TxOptions {
  signal?: AbortSignal
  /** Extra fee offered to the block author. */
  tip?: bigint
}

export interface Account {
  accountId: Uint8Array
  /** SS58 with the chain's prefix. */
  address: string
  /** Spendable balance. */
  free: bigint
  /** Balance held by the chain (includes `deposit`). */
  reserved: bigint
  /** The DDC deposit that pays this account's buckets' data-operation fees. */
  deposit: bigint
  /** Next transaction nonce. */
  nonce: number
}

export type BucketSettings = { [key: string]: JsonValue }

export interface Bucket extends BucketInfo {
  clusterId: string
  settings: BucketSettings
}

export interface CreateBucketInit {
  clusterId: string
  isPublic?: boolean
  settings?: BucketSettings
}

export interface BucketUpdate {
  isPublic?: boolean
  settings?: BucketSettings
}

export interface Cluster {
  id: string
  manager: Uint8Array
  /** How many nodes hold each timeline (3 by default). */
  replicationFactor: number
  /** Node ids (0x-hex public keys), in the order they joined. */
  nodes: string[]
}

export type NodeStatus = 'active' | 'inactive' | 'maintenance'

export interface StorageNode {
  /** 0x-hex of the node's public key: the same on every network, unlike SS58. */
  id: string
  publicKey: Uint8Array
  /** Account that operates the node and receives its payouts. */
  provider: Uint8Array
  clusterId?: string
  /** HTTP base URLs, e.g. `http://127.0.0.1:8101`. */
  endpoints: string[]
  status: NodeStatus
}

export interface RegisterNodeInit {
  publicKey: AccountLike
  endpoints: string[]
  status?: NodeStatus
}

export interface NodeUpdate {
  endpoints?: string[]
  status?: NodeStatus
}

/** What an anchor commits to: the root of a Merkle tree over `count` timeline heads. */
export interface AnchorInput {
  root: CID
  count: number
  /** Anchoring period (e.g. minutes since the epoch) the root covers. */
  period?: number
}

/** The canonical anchor statement, as stored by the dev chain and encoded in a Substrate remark. */
export interface AnchorPayload extends AnchorInput {
  kind: 'ddc-anchor'
  v: 1
}

/** Where something was recorded on chain, and whether that block is final yet. */
export interface Inclusion {
  txHash: string
  block: BlockRef
  finalized: boolean
  /** Block timestamp (ms). */
  timestamp: number
}

export interface AnchorRecord extends Inclusion {
  root: CID
  count: number
  period?: number
  submitter: Uint8Array
}

export interface RemarkTransfer {
  from: Uint8Array
  to: Uint8Array
  amount: bigint
}

export interface RemarkOptions extends TxOptions {
  /** A balance transfer carried in the same atomic batch: both land, or neither does. */
  transfer?: { to: AccountLike; amount: bigint }
}

export interface RemarkRecord extends Inclusion {
  cid: CID
  sender: Uint8Array
  transfer?: RemarkTransfer
}

export interface LookupOptions {
  /**
   * Block number or hash believed to hold the record (from a proof). The dev chain indexes every
   * CID and ignores it; a Substrate node keeps no index by remark content, so there it is needed
   * for records this process did not submit or see.
   */
  at?: number | string
  signal?: AbortSignal
}

export interface BlockRange {
  fromBlock: number
  toBlock: number
  signal?: AbortSignal
}

export interface SubscribeOptions {
  signal?: AbortSignal
  /** First block number to deliver (catch-up); default: the next finalized block. */
  from?: number
}

/** Usage of one bucket on one node in one period (reported by the node itself, its provider or the cluster manager). */
export interface UsageRecord {
  bucketId: string
  nodeId: string
  storedBytes: number
  readBytes: number
  requests: number
}

export interface UsageReport {
  clusterId: string
  period: number
  records: UsageRecord[]
}

/** One (bucket, node) line of a payout: what was due, what the owner's deposit covered, who got it. */
export interface PayoutLine {
  bucketId: string
  owner: Uint8Array
  nodeId: string
  provider: Uint8Array
  due: bigint
  charged: bigint
  shortfall: bigint
  toProvider: bigint
  toTreasury: bigint
}

export interface PayoutTotals {
  due: bigint
  charged: bigint
  shortfall: bigint
  toProviders: bigint
  toTreasury: bigint
}

/** Balances to the token: totals.charged === totals.toProviders + totals.toTreasury. */
export interface PayoutReport extends Inclusion {
  clusterId: string
  period: number
  lines: PayoutLine[]
  totals: PayoutTotals
}

export interface Chain extends BucketDirectory {
  /** SS58 address of the account this instance signs with, if any. */
  readonly address: string | undefined

  // chain
  info(signal?: AbortSignal): Promise<ChainInfo>
  head(signal?: AbortSignal): Promise<ChainHead>
  /** By number or 0x-hex hash; throws ERR_NOT_FOUND. */
  getBlock(id: number | string, signal?: AbortSignal): Promise<BlockInfo>
  /** Finalized blocks in order, without gaps, until the signal aborts. */
  finalizedBlocks(opts?: SubscribeOptions): AsyncIterable<BlockInfo>

  // accounts and balances
  getAccount(who: AccountLike, signal?: AbortSignal): Promise<Account>
  transfer(to: AccountLike, amount: bigint, opts?: TxOptions): Promise<TxReceipt>

  // buckets (getBucket from BucketDirectory throws ERR_NOT_FOUND)
  getBucket(id: string, signal?: AbortSignal): Promise<Bucket>
  createBucket(init: CreateBucketInit, opts?: TxOptions): Promise<{ bucket: Bucket; receipt: TxReceipt }>
  updateBucket(id: string, update: BucketUpdate, opts?: TxOptions): Promise<{ bucket: Bucket; receipt: TxReceipt }>
  listBuckets(owner: AccountLike, signal?: AbortSignal): Promise<Bucket[]>

  // clusters and nodes
  listClusters(signal?: AbortSignal): Promise<Cluster[]>
  getCluster(id: string, signal?: AbortSignal): Promise<Cluster>
  createCluster(init: { id: string; replicationFactor?: number }, opts?: TxOptions): Promise<TxReceipt>
  listNodes(filter?: { clusterId?: string }, signal?: AbortSignal): Promise<StorageNode[]>
  /** By 0x-hex id or SS58 address of the node key. */
  getNode(id: string, signal?: AbortSignal): Promise<StorageNode>
  registerNode(init: RegisterNodeInit, opts?: TxOptions): Promise<TxReceipt>
  updateNode(id: string, update: NodeUpdate, opts?: TxOptions): Promise<TxReceipt>
  /** Signed by the cluster manager. */
  addNodeToCluster(clusterId: string, nodeId: string, opts?: TxOptions): Promise<TxReceipt>

  // anchors (time capsules)
  submitAnchor(anchor: AnchorInput, opts?: TxOptions): Promise<AnchorRecord>
  findAnchor(root: CID, opts?: LookupOptions): Promise<AnchorRecord | undefined>
  listAnchors(range: BlockRange): Promise<AnchorRecord[]>
  /** Anchors as they land in finalized blocks. */
  anchors(opts?: SubscribeOptions): AsyncIterable<AnchorRecord>

  // events that also go on chain
  submitRemark(cid: CID, opts?: RemarkOptions): Promise<RemarkRecord>
  findRemark(cid: CID, opts?: LookupOptions): Promise<RemarkRecord | undefined>

  // deposits, usage and payouts
  deposit(amount: bigint, opts?: TxOptions): Promise<TxReceipt>
  withdrawDeposit(amount: bigint, opts?: TxOptions): Promise<TxReceipt>
  submitUsage(report: UsageReport, opts?: TxOptions): Promise<TxReceipt>
  getUsage(clusterId: string, period: number, signal?: AbortSignal): Promise<UsageRecord[]>
  /** Charges deposits and pays providers for a period; idempotent (answers the existing report). */
  runPayout(clusterId: string, period: number, opts?: TxOptions): Promise<PayoutReport>
  findPayout(clusterId: string, period: number, signal?: AbortSignal): Promise<PayoutReport | undefined>

  close(): Promise<void>
}
