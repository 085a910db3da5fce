/**
 * Genesis: the chain's parameters and initial state. `devGenesis()` is the default development chain:
 * the well-known dev accounts (//Alice … //Ferdie, sr25519) funded, a cluster of three storage nodes
 * whose endpoints are configurable, and a demo bucket owned by //Alice with a deposit that pays for
 * its data operations. The same genesis config always yields the same genesis hash.
 */

import type { BucketSettings, NodeStatus } from '@ddc/chain'
import { createAccount, cryptoReady, type LocalSigner, toAccountId, utf8 } from '@ddc/core'
import { MAX_AMOUNT } from './ledger/args.js'
import { type ChainParams, key } from './ledger/model.js'

/** Amounts are decimal strings (JSON files) or bigints. */
type Amount = string | bigint

export interface GenesisConfig {
  name: string
  ss58Prefix: number
  token: { symbol: string; decimals: number }
  /** Block 0 timestamp (ms); fixed so that the genesis hash is reproducible. */
  timestamp: number
  /** SS58 address of the block author (its key is the node's `authorityUri`). */
  authority: string
  /** SS58 address of the treasury (default: a keyless, pallet-style account). */
  treasury?: string
  fees: { base: Amount; perByte: Amount }
  pricing: { perMbStored: Amount; perMbRead: Amount; perRequest: Amount; treasuryShare: number }
  accounts: { address: string; free: Amount; deposit?: Amount }[]
  clusters: { id: string; manager: string; replicationFactor: number }[]
  nodes: { publicKey: string; provider: string; cluster?: string; endpoints: string[]; status?: NodeStatus }[]
  buckets: { id: string; owner: string; cluster: string; isPublic?: boolean; settings?: BucketSettings }[]
}

export const DEV_ACCOUNTS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const
export type DevAccountName = (typeof DEV_ACCOUNTS)[number]

/** A dev account's signer (`//Alice` …). */
export async function devAccount(name: DevAccountName, ss58Prefix = 42): Promise<LocalSigner> {
  await cryptoReady()
  return createAccount({ uri: `//${name}`, ss58Prefix })
}

/** Secret URI of dev storage node i (1-based): the node's own key, funded to pay for its anchors. */
export const devNodeUri = (i: number): string => `//DdcNode${i}`

/** A keyless account id in the style of Substrate's PalletId: "modl" + name, zero-padded. */
export function palletAccount(name: string): Uint8Array {
  const id = new Uint8Array(32)
  id.set(utf8(`modl${name}`).subarray(0, 32))
  return id
}

export const DEV_CLUSTER = 'dev-cluster'
export const DEMO_BUCKET = '1'
const UNIT = 10n ** 10n

export interface DevGenesisInit {
  /** HTTP endpoints of the three dev storage nodes (default http://127.0.0.1:8101 … 8103). */
  nodeEndpoints?: string[]
  ss58Prefix?: number
  name?: string
  /** Block author's secret URI (default //Alice). */
  authorityUri?: string
}

export async function devGenesis(init: DevGenesisInit = {}): Promise<GenesisConfig> {
  await cryptoReady()
  const ss58Prefix = init.ss58Prefix ?? 42
  const addr = (uri: string) => createAccount({ uri, ss58Prefix }).address
  const endpoints = init.nodeEndpoints ?? [1, 2, 3].map((i) => `http://127.0.0.1:${8100 + i}`)
  const nodes = endpoints.map((e, i) => ({
    publicKey: addr(devNodeUri(i + 1)),
    provider: addr(`//${DEV_ACCOUNTS[2 + (i % 3)]}`),
    cluster: DEV_CLUSTER,
    endpoints: [e],
  }))
  return {
    name: init.name ?? 'DDC Dev Chain',
    ss58Prefix,
    token: { symbol: 'CERE', decimals: 10 },
    timestamp: Date.UTC(2025, 0, 1),
    authority: addr(init.authorityUri ?? '//Alice'),
    fees: { base: (UNIT / 1000n).toString(), perByte: '1000' },
    pricing: {
      perMbStored: (UNIT / 10_000n).toString(),
      perMbRead: (UNIT / 10_000n).toString(),
      perRequest: '100',
      treasuryShare: 100_000,
    },
    accounts: [
      ...DEV_ACCOUNTS.map((n) => ({
        address: addr(`//${n}`),
        free: (1_000_000n * UNIT).toString(),
        deposit: n === 'Alice' ? (10_000n * UNIT).toString() : undefined,
      })),
      ...nodes.map((n) => ({ address: n.publicKey, free: (1_000n * UNIT).toString() })),
    ],
    clusters: [{ id: DEV_CLUSTER, manager: addr('//Bob'), replicationFactor: 3 }],
    nodes,
    buckets: [
      { id: DEMO_BUCKET, owner: addr('//Alice'), cluster: DEV_CLUSTER, isPublic: false, settings: { demo: true } },
    ],
  }
}

/** The parameters and state entries of block 0. */
export function genesisState(g: GenesisConfig): { params: ChainParams; entries: [string, unknown][] } {
  const params: ChainParams = {
    name: g.name,
    ss58Prefix: g.ss58Prefix,
    token: g.token,
    authority: toAccountId(g.authority),
    treasury: g.treasury ? toAccountId(g.treasury) : palletAccount('ddc/trsy'),
    fees: { base: BigInt(g.fees.base), perByte: BigInt(g.fees.perByte) },
    pricing: {
      perMbStored: BigInt(g.pricing.perMbStored),
      perMbRead: BigInt(g.pricing.perMbRead),
      perRequest: BigInt(g.pricing.perRequest),
      treasuryShare: g.pricing.treasuryShare,
    },
  }
  const entries = new Map<string, unknown>([[key.params, params]])
  const issuance = g.accounts.reduce((sum, a) => sum + BigInt(a.free) + BigInt(a.deposit ?? 0), 0n)
  if (issuance >= MAX_AMOUNT) throw new Error('genesis issuance must stay below 2^64 (the DAG-CBOR integer limit)')
  for (const a of g.accounts) {
    const id = toAccountId(a.address)
    entries.set(key.account(id), { free: BigInt(a.free), reserved: BigInt(a.deposit ?? 0), nonce: 0 })
  }
  const clusters = new Map(
    g.clusters.map((c) => [c.id, { ...c, manager: toAccountId(c.manager), nodes: [] as Uint8Array[] }]),
  )
  for (const n of g.nodes) {
    const k = toAccountId(n.publicKey)
    const node: Record<string, unknown> = {
      key: k,
      provider: toAccountId(n.provider),
      endpoints: n.endpoints,
      status: n.status ?? 'active',
    }
    if (n.cluster !== undefined) {
      const c = clusters.get(n.cluster)
      if (!c) throw new Error(`genesis node ${n.publicKey} names unknown cluster ${n.cluster}`)
      c.nodes.push(k)
      node.cluster = n.cluster
    }
    entries.set(key.node(k), node)
  }
  for (const c of clusters.values()) entries.set(key.cluster(c.id), c)
  let next = 1
  for (const b of g.buckets) {
    if (!clusters.has(b.cluster)) throw new Error(`genesis bucket ${b.id} names unknown cluster ${b.cluster}`)
    const owner = toAccountId(b.owner)
    entries.set(key.bucket(b.id), {
      id: b.id,
      owner,
      cluster: b.cluster,
      isPublic: b.isPublic ?? false,
      settings: b.settings ?? {},
      createdAt: 0,
    })
    if (/^[0-9]+$/.test(b.id)) next = Math.max(next, Number(b.id) + 1)
  }
  entries.set(key.nextBucket, next)
  return { params, entries: [...entries] }
}
