/**
 * The JSON the dev chain's HTTP/WebSocket API speaks, and its conversion into the `Chain` types.
 * On the wire, accounts are SS58 text (with the chain's prefix), amounts are decimal strings (they
 * outgrow 2^53), hashes are 0x-hex and CIDs are their base32 text. The chain-node's TypeBox schemas
 * describe exactly these shapes.
 */
import { parseCid, toAccountId } from '@ddc/core'
import type {
  Account,
  AnchorRecord,
  BlockInfo,
  BlockRef,
  Bucket,
  BucketSettings,
  ChainEvent,
  ChainInfo,
  Cluster,
  NodeStatus,
  PayoutReport,
  RemarkRecord,
  StorageNode,
  TxReceipt,
  UsageRecord,
} from '../chain.js'

export interface WireBlockRef {
  number: number
  hash: string
}

export interface WireChainInfo {
  kind: 'dev'
  name: string
  ss58Prefix: number
  token: { symbol: string; decimals: number }
  genesisHash: string
  blockIntervalMs: number
  finalityDepth: number
  fees: { base: string; perByte: string }
  pricing: { perMbStored: string; perMbRead: string; perRequest: string; treasuryShare: number }
  treasury: string
  authority: string
  best: WireBlockRef
  finalized: WireBlockRef
}

export interface WireEvent {
  name: string
  data: Record<string, unknown>
}

export interface WireAccount {
  address: string
  free: string
  reserved: string
  deposit: string
  /** Nonce as of the last block. */
  nonce: number
  /** Nonce for the next transaction, counting those accepted but not yet in a block. */
  nextNonce: number
}

export interface WireBucket {
  id: string
  owner: string
  clusterId: string
  isPublic: boolean
  settings: BucketSettings
  createdAt: number
}

export interface WireCluster {
  id: string
  manager: string
  replicationFactor: number
  nodes: string[]
}

export interface WireNode {
  id: string
  address: string
  provider: string
  clusterId?: string
  endpoints: string[]
  status: NodeStatus
}

export interface WireInclusion {
  txHash: string
  block: WireBlockRef
  finalized: boolean
  timestamp: number
}

export interface WireAnchor extends WireInclusion {
  root: string
  count: number
  period?: number
  submitter: string
}

export interface WireRemark extends WireInclusion {
  cid: string
  sender: string
  transfer?: { from: string; to: string; amount: string }
}

export interface WireUsageRecord {
  bucketId: string
  nodeId: string
  storedBytes: number
  readBytes: number
  requests: number
  reporter: string
  block: number
}

export interface WirePayoutLine {
  bucketId: string
  owner: string
  nodeId: string
  provider: string
  due: string
  charged: string
  shortfall: string
  toProvider: string
  toTreasury: string
}

export interface WirePayout extends WireInclusion {
  clusterId: string
  period: number
  lines: WirePayoutLine[]
  totals: { due: string; charged: string; shortfall: string; toProviders: string; toTreasury: string }
}

export interface WireBlock {
  number: number
  hash: string
  parentHash: string
  stateRoot: string
  extrinsicsRoot: string
  timestamp: number
  author: string
  txHashes: string[]
  events: (WireEvent & { tx?: string })[]
}

export type TxStatus = 'pending' | 'inBlock' | 'finalized'

export interface WireTx {
  hash: string
  status: TxStatus
  block?: WireBlockRef
  index?: number
  signer: string
  nonce: number
  call: string
  /** The call's arguments in their DAG-JSON view. */
  args: unknown
  tip: string
  fee: string
  events: WireEvent[]
}

/** A message on the `/ws` block stream. */
export interface WireBlockMessage {
  type: 'block'
  finalized: boolean
  block: WireBlock
}

export const fromWireRef = (r: WireBlockRef): BlockRef => ({ number: r.number, hash: r.hash })

export function fromWireInfo(w: WireChainInfo): ChainInfo {
  return { kind: 'dev', name: w.name, ss58Prefix: w.ss58Prefix, token: { ...w.token }, genesisHash: w.genesisHash }
}

export function fromWireAccount(w: WireAccount): Account {
  return {
    accountId: toAccountId(w.address),
    address: w.address,
    free: BigInt(w.free),
    reserved: BigInt(w.reserved),
    deposit: BigInt(w.deposit),
    nonce: w.nonce,
  }
}

export function fromWireBucket(w: WireBucket): Bucket {
  return { id: w.id, owner: toAccountId(w.owner), clusterId: w.clusterId, isPublic: w.isPublic, settings: w.settings }
}

export function fromWireCluster(w: WireCluster): Cluster {
  return { id: w.id, manager: toAccountId(w.manager), replicationFactor: w.replicationFactor, nodes: [...w.nodes] }
}

export function fromWireNode(w: WireNode): StorageNode {
  const node: StorageNode = {
    id: w.id,
    publicKey: toAccountId(w.address),
    provider: toAccountId(w.provider),
    endpoints: [...w.endpoints],
    status: w.status,
  }
  if (w.clusterId !== undefined) node.clusterId = w.clusterId
  return node
}

function inclusion(w: WireInclusion) {
  return { txHash: w.txHash, block: fromWireRef(w.block), finalized: w.finalized, timestamp: w.timestamp }
}

export function fromWireAnchor(w: WireAnchor): AnchorRecord {
  const a: AnchorRecord = {
    ...inclusion(w),
    root: parseCid(w.root),
    count: w.count,
    submitter: toAccountId(w.submitter),
  }
  if (w.period !== undefined) a.period = w.period
  return a
}

export function fromWireRemark(w: WireRemark): RemarkRecord {
  const r: RemarkRecord = { ...inclusion(w), cid: parseCid(w.cid), sender: toAccountId(w.sender) }
  if (w.transfer) {
    r.transfer = {
      from: toAccountId(w.transfer.from),
      to: toAccountId(w.transfer.to),
      amount: BigInt(w.transfer.amount),
    }
  }
  return r
}

export function fromWireUsage(w: WireUsageRecord): UsageRecord {
  return {
    bucketId: w.bucketId,
    nodeId: w.nodeId,
    storedBytes: w.storedBytes,
    readBytes: w.readBytes,
    requests: w.requests,
  }
}

export function fromWirePayout(w: WirePayout): PayoutReport {
  return {
    ...inclusion(w),
    clusterId: w.clusterId,
    period: w.period,
    lines: w.lines.map((l) => ({
      bucketId: l.bucketId,
      owner: toAccountId(l.owner),
      nodeId: l.nodeId,
      provider: toAccountId(l.provider),
      due: BigInt(l.due),
      charged: BigInt(l.charged),
      shortfall: BigInt(l.shortfall),
      toProvider: BigInt(l.toProvider),
      toTreasury: BigInt(l.toTreasury),
    })),
    totals: {
      due: BigInt(w.totals.due),
      charged: BigInt(w.totals.charged),
      shortfall: BigInt(w.totals.shortfall),
      toProviders: BigInt(w.totals.toProviders),
      toTreasury: BigInt(w.totals.toTreasury),
    },
  }
}

export function fromWireEvent(w: WireEvent): ChainEvent {
  return { name: w.name, data: w.data }
}

export function fromWireBlock(w: WireBlock): BlockInfo {
  return {
    number: w.number,
    hash: w.hash,
    parentHash: w.parentHash,
    stateRoot: w.stateRoot,
    extrinsicsRoot: w.extrinsicsRoot,
    timestamp: w.timestamp,
    txHashes: [...w.txHashes],
    events: w.events.map(fromWireEvent),
  }
}

export function receiptFromWireTx(w: WireTx): TxReceipt {
  if (!w.block) throw new Error(`transaction ${w.hash} is not in a block yet`)
  return {
    txHash: w.hash,
    block: fromWireRef(w.block),
    finalized: w.status === 'finalized',
    fee: BigInt(w.fee),
    events: w.events.map(fromWireEvent),
  }
}
