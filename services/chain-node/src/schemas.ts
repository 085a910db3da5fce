/**
 * TypeBox schemas of the chain node's HTTP API: they validate requests, serialize responses and feed
 * the OpenAPI document. They describe the wire types of `@ddc/chain/dev` (checked at the bottom).
 */
import type * as w from '@ddc/chain/dev'
import { type Static, type TSchema, Type } from '@sinclair/typebox'

const Address = Type.String({
  description: 'SS58 address',
  examples: ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'],
})
const Hash = Type.String({ pattern: '^0x[0-9a-f]{64}$', description: '0x-hex 32-byte hash' })
const Amount = Type.String({ pattern: '^[0-9]+$', description: 'amount in the smallest unit (decimal string)' })
const Cid = Type.String({ description: 'CIDv1 (base32)' })

export const BlockRef = Type.Object({ number: Type.Integer(), hash: Hash }, { $id: 'BlockRef' })
const Ref = Type.Ref('BlockRef')

export const ChainEvent = Type.Object(
  {
    name: Type.String({ description: 'section.Method, e.g. anchors.Submitted' }),
    data: Type.Record(Type.String(), Type.Unknown()),
    tx: Type.Optional(Hash),
  },
  { $id: 'ChainEvent' },
)
const Events = Type.Array(Type.Ref('ChainEvent'))

export const ChainInfo = Type.Object(
  {
    kind: Type.Literal('dev'),
    name: Type.String(),
    ss58Prefix: Type.Integer(),
    token: Type.Object({ symbol: Type.String(), decimals: Type.Integer() }),
    genesisHash: Hash,
    blockIntervalMs: Type.Integer(),
    finalityDepth: Type.Integer(),
    fees: Type.Object({ base: Amount, perByte: Amount }),
    pricing: Type.Object({
      perMbStored: Amount,
      perMbRead: Amount,
      perRequest: Amount,
      treasuryShare: Type.Integer({ description: 'parts per million of each charge' }),
    }),
    treasury: Address,
    authority: Address,
    best: Ref,
    finalized: Ref,
  },
  { $id: 'ChainInfo' },
)

export const Head = Type.Object({ best: Ref, finalized: Ref }, { $id: 'Head' })

export const Account = Type.Object(
  {
    address: Address,
    free: Amount,
    reserved: Amount,
    deposit: Amount,
    nonce: Type.Integer(),
    nextNonce: Type.Integer({ description: 'nonce for the next transaction, counting accepted ones' }),
  },
  { $id: 'Account' },
)

export const Bucket = Type.Object(
  {
    id: Type.String(),
    owner: Address,
    clusterId: Type.String(),
    isPublic: Type.Boolean(),
    settings: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Type.Integer({ description: 'block number' }),
  },
  { $id: 'Bucket' },
)

export const Cluster = Type.Object(
  { id: Type.String(), manager: Address, replicationFactor: Type.Integer(), nodes: Type.Array(Hash) },
  { $id: 'Cluster' },
)

export const StorageNode = Type.Object(
  {
    id: Hash,
    address: Address,
    provider: Address,
    clusterId: Type.Optional(Type.String()),
    endpoints: Type.Array(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('maintenance')]),
  },
  { $id: 'StorageNode' },
)

const inclusion = {
  txHash: Hash,
  block: Ref,
  finalized: Type.Boolean(),
  timestamp: Type.Integer({ description: 'block timestamp (ms)' }),
}

export const Anchor = Type.Object(
  { ...inclusion, root: Cid, count: Type.Integer(), period: Type.Optional(Type.Integer()), submitter: Address },
  { $id: 'Anchor' },
)

export const Remark = Type.Object(
  {
    ...inclusion,
    cid: Cid,
    sender: Address,
    transfer: Type.Optional(Type.Object({ from: Address, to: Address, amount: Amount })),
  },
  { $id: 'Remark' },
)

export const UsageRecord = Type.Object(
  {
    bucketId: Type.String(),
    nodeId: Hash,
    storedBytes: Type.Integer(),
    readBytes: Type.Integer(),
    requests: Type.Integer(),
    reporter: Address,
    block: Type.Integer(),
  },
  { $id: 'UsageRecord' },
)

export const Payout = Type.Object(
  {
    ...inclusion,
    clusterId: Type.String(),
    period: Type.Integer(),
    lines: Type.Array(
      Type.Object({
        bucketId: Type.String(),
        owner: Address,
        nodeId: Hash,
        provider: Address,
        due: Amount,
        charged: Amount,
        shortfall: Amount,
        toProvider: Amount,
        toTreasury: Amount,
      }),
    ),
    totals: Type.Object({ due: Amount, charged: Amount, shortfall: Amount, toProviders: Amount, toTreasury: Amount }),
  },
  { $id: 'Payout' },
)

export const Block = Type.Object(
  {
    number: Type.Integer(),
    hash: Hash,
    parentHash: Hash,
    stateRoot: Hash,
    extrinsicsRoot: Hash,
    timestamp: Type.Integer(),
    author: Address,
    txHashes: Type.Array(Hash),
    events: Events,
  },
  { $id: 'Block' },
)

export const Tx = Type.Object(
  {
    hash: Hash,
    status: Type.Union([Type.Literal('pending'), Type.Literal('inBlock'), Type.Literal('finalized')]),
    block: Type.Optional(Ref),
    index: Type.Optional(Type.Integer()),
    signer: Address,
    nonce: Type.Integer(),
    call: Type.String(),
    args: Type.Unknown({ description: 'the call arguments in DAG-JSON' }),
    tip: Amount,
    fee: Amount,
    events: Events,
  },
  { $id: 'Tx' },
)

export const SCHEMAS: TSchema[] = [
  BlockRef,
  ChainEvent,
  ChainInfo,
  Head,
  Account,
  Bucket,
  Cluster,
  StorageNode,
  Anchor,
  Remark,
  UsageRecord,
  Payout,
  Block,
  Tx,
]

// The schemas and the client's wire types must agree; these fail to compile if they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Check<T extends true> = T
export type _WireChecks = [
  Check<Same<Static<typeof Account>, w.WireAccount>>,
  Check<Same<Static<typeof Cluster>, w.WireCluster>>,
  Check<Same<Static<typeof StorageNode>, w.WireNode>>,
  Check<Same<Static<typeof UsageRecord>, w.WireUsageRecord>>,
  Check<Same<Omit<Static<typeof Anchor>, 'block'>, Omit<w.WireAnchor, 'block'>>>,
  Check<Same<Omit<Static<typeof Remark>, 'block'>, Omit<w.WireRemark, 'block'>>>,
]
