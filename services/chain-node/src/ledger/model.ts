/**
 * What the dev chain's state holds, under which keys, and typed access to it. Values are stored as
 * DAG-CBOR; integers that fit 2^53 come back from disk as numbers, so readers normalise amounts
 * with BigInt() here and nowhere else.
 */

import type { BucketSettings, NodeStatus } from '@ddc/chain'
import { type CID, toHex } from '@ddc/core'
import type { StateStore, View } from './state.js'

/** Chain parameters, fixed at genesis and kept in state (so they are covered by the state root). */
export interface ChainParams {
  name: string
  ss58Prefix: number
  token: { symbol: string; decimals: number }
  /** Block author: signs blocks and receives tips. */
  authority: Uint8Array
  /** Receives base fees and the treasury share of payouts. */
  treasury: Uint8Array
  fees: { base: bigint; perByte: bigint }
  /** Data-operation prices: per 10^6 bytes stored or read in a period, per request. */
  pricing: { perMbStored: bigint; perMbRead: bigint; perRequest: bigint; treasuryShare: number }
}

export interface AccountState {
  free: bigint
  /** Held balance; on this chain all of it is the DDC deposit. */
  reserved: bigint
  nonce: number
}

export interface BucketState {
  id: string
  owner: Uint8Array
  cluster: string
  isPublic: boolean
  settings: BucketSettings
  createdAt: number
}

export interface ClusterState {
  id: string
  manager: Uint8Array
  replicationFactor: number
  nodes: Uint8Array[]
}

export interface NodeState {
  key: Uint8Array
  provider: Uint8Array
  cluster?: string
  endpoints: string[]
  status: NodeStatus
}

/** Where a record was written: the transaction and the block it went into. */
export interface Placement {
  tx: string
  block: number
}

export interface AnchorState extends Placement {
  root: CID
  count: number
  period?: number
  submitter: Uint8Array
}

export interface RemarkState extends Placement {
  cid: CID
  sender: Uint8Array
  transfer?: { to: Uint8Array; amount: bigint }
}

export interface UsageState {
  bucket: string
  node: Uint8Array
  storedBytes: number
  readBytes: number
  requests: number
  reporter: Uint8Array
  block: number
}

export interface PayoutLineState {
  bucket: string
  owner: Uint8Array
  node: Uint8Array
  provider: Uint8Array
  due: bigint
  charged: bigint
  shortfall: bigint
  toProvider: bigint
  toTreasury: bigint
}

export interface PayoutState extends Placement {
  cluster: string
  period: number
  lines: PayoutLineState[]
}

export const key = {
  params: 'meta/params',
  nextBucket: 'meta/next-bucket',
  account: (id: Uint8Array) => `account/${toHex(id)}`,
  bucket: (id: string) => `bucket/${id}`,
  cluster: (id: string) => `cluster/${id}`,
  node: (k: Uint8Array) => `node/${toHex(k)}`,
  anchor: (root: CID) => `anchor/${root}`,
  remark: (cid: CID) => `remark/${cid}`,
  usagePrefix: (cluster: string, period: number) => `usage/${cluster}/${period}/`,
  usage: (cluster: string, period: number, bucket: string, node: Uint8Array) =>
    `usage/${cluster}/${period}/${bucket}/${toHex(node)}`,
  payout: (cluster: string, period: number) => `payout/${cluster}/${period}`,
}

export function readParams(state: StateStore): ChainParams {
  const p = state.get<ChainParams>(key.params, 'committed') ?? state.get<ChainParams>(key.params)
  if (!p) throw new Error('state holds no chain parameters (no genesis)')
  return {
    ...p,
    fees: { base: BigInt(p.fees.base), perByte: BigInt(p.fees.perByte) },
    pricing: {
      perMbStored: BigInt(p.pricing.perMbStored),
      perMbRead: BigInt(p.pricing.perMbRead),
      perRequest: BigInt(p.pricing.perRequest),
      treasuryShare: p.pricing.treasuryShare,
    },
  }
}

export function readAccount(state: StateStore, id: Uint8Array, view: View = 'pending'): AccountState {
  const a = state.get<AccountState>(key.account(id), view)
  return a
    ? { free: BigInt(a.free), reserved: BigInt(a.reserved), nonce: a.nonce }
    : { free: 0n, reserved: 0n, nonce: 0 }
}

export function writeAccount(state: StateStore, id: Uint8Array, a: AccountState): void {
  state.put(key.account(id), { free: a.free, reserved: a.reserved, nonce: a.nonce })
}

export function readRemark(state: StateStore, cid: CID, view: View = 'pending'): RemarkState | undefined {
  const r = state.get<RemarkState>(key.remark(cid), view)
  if (!r?.transfer) return r
  return { ...r, transfer: { to: r.transfer.to, amount: BigInt(r.transfer.amount) } }
}

export function readPayout(state: StateStore, cluster: string, period: number, view: View = 'pending') {
  const p = state.get<PayoutState>(key.payout(cluster, period), view)
  if (!p) return undefined
  const lines = p.lines.map((l) => ({
    ...l,
    due: BigInt(l.due),
    charged: BigInt(l.charged),
    shortfall: BigInt(l.shortfall),
    toProvider: BigInt(l.toProvider),
    toTreasury: BigInt(l.toTreasury),
  }))
  return { ...p, lines }
}
