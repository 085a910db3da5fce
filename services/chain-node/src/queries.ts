/**
 * The read model: the committed state and the blocks, as the wire objects of `@ddc/chain/dev`. Reads
 * see only what is in a block (never transactions still waiting for one), except `nextNonce`.
 */

import { nodeIdOf, nodeKeyOf } from '@ddc/chain'
import type * as w from '@ddc/chain/dev'
import { decodeTx } from '@ddc/chain/dev'
import {
  type CID,
  fromHex,
  InvalidInputError,
  NotFoundError,
  parseCid,
  toAccountId,
  toAddress,
  toDagJson,
  toHex,
} from '@ddc/core'
import type { DevChain, TxState } from './dev-chain.js'
import type { StoredBlock } from './ledger/block.js'
import {
  type AnchorState,
  type BucketState,
  type ClusterState,
  key,
  type NodeState,
  type Placement,
  readAccount,
  readPayout,
  readRemark,
  type UsageState,
} from './ledger/model.js'

export type Queries = ReturnType<typeof createQueries>

export function createQueries(chain: DevChain) {
  const { params, state } = chain
  const addr = (id: Uint8Array) => toAddress(id, params.ss58Prefix)
  const ref = (b: StoredBlock): w.WireBlockRef => ({ number: b.header.number, hash: toHex(b.hash) })
  const list = <T>(prefix: string) => state.keys(prefix, 'committed').map((k) => state.get<T>(k, 'committed')!)
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new NotFoundError(`${what} not found`)
    return v
  }
  const inclusion = async (p: Placement): Promise<w.WireInclusion> => {
    const b = need(await chain.block(p.block), `block ${p.block}`)
    return { txHash: p.tx, block: ref(b), finalized: p.block <= chain.finalizedNumber(), timestamp: b.header.timestamp }
  }
  const cidParam = (s: string): CID => {
    try {
      return parseCid(s)
    } catch {
      throw new InvalidInputError(`${s.slice(0, 80)} is not a CID`)
    }
  }

  const bucket = (b: BucketState): w.WireBucket => ({
    id: b.id,
    owner: addr(b.owner),
    clusterId: b.cluster,
    isPublic: b.isPublic,
    settings: b.settings,
    createdAt: b.createdAt,
  })
  const cluster = (c: ClusterState): w.WireCluster => ({
    id: c.id,
    manager: addr(c.manager),
    replicationFactor: c.replicationFactor,
    nodes: c.nodes.map(nodeIdOf),
  })
  const node = (n: NodeState): w.WireNode => ({
    id: nodeIdOf(n.key),
    address: addr(n.key),
    provider: addr(n.provider),
    ...(n.cluster === undefined ? {} : { clusterId: n.cluster }),
    endpoints: n.endpoints,
    status: n.status,
  })
  const anchor = async (a: AnchorState): Promise<w.WireAnchor> => ({
    ...(await inclusion(a)),
    root: a.root.toString(),
    count: a.count,
    ...(a.period === undefined ? {} : { period: a.period }),
    submitter: addr(a.submitter),
  })
  const block = (b: StoredBlock): w.WireBlock => ({
    ...ref(b),
    parentHash: toHex(b.header.parentHash),
    stateRoot: toHex(b.header.stateRoot),
    extrinsicsRoot: toHex(b.header.extrinsicsRoot),
    timestamp: b.header.timestamp,
    author: addr(b.header.author),
    txHashes: b.txs,
    events: b.events,
  })

  return {
    block,
    async head(): Promise<{ best: w.WireBlockRef; finalized: w.WireBlockRef }> {
      const best = chain.best()
      const finalized = need(await chain.block(chain.finalizedNumber()), 'finalized block')
      return { best: ref(best), finalized: ref(finalized) }
    },
    account(who: string | Uint8Array): w.WireAccount {
      const id = toAccountId(who)
      const a = readAccount(state, id, 'committed')
      return {
        address: addr(id),
        free: a.free.toString(),
        reserved: a.reserved.toString(),
        deposit: a.reserved.toString(),
        nonce: a.nonce,
        nextNonce: readAccount(state, id, 'pending').nonce,
      }
    },
    accounts(limit: number): w.WireAccount[] {
      return state
        .keys('account/', 'committed')
        .slice(0, limit)
        .map((k) => this.account(fromHex(k.slice('account/'.length), 32)))
    },
    bucket: (id: string) => bucket(need(state.get<BucketState>(key.bucket(id), 'committed'), `bucket ${id}`)),
    buckets: (owner?: string) => {
      const id = owner === undefined ? undefined : toAccountId(owner)
      return list<BucketState>('bucket/')
        .filter((b) => !id || toHex(b.owner) === toHex(id))
        .map(bucket)
    },
    cluster: (id: string) => cluster(need(state.get<ClusterState>(key.cluster(id), 'committed'), `cluster ${id}`)),
    clusters: () => list<ClusterState>('cluster/').map(cluster),
    node: (id: string) => node(need(state.get<NodeState>(key.node(nodeKeyOf(id)), 'committed'), `node ${id}`)),
    nodes: (clusterId?: string) =>
      list<NodeState>('node/')
        .filter((n) => clusterId === undefined || n.cluster === clusterId)
        .map(node),
    anchor: async (root: string) =>
      anchor(need(state.get<AnchorState>(key.anchor(cidParam(root)), 'committed'), `anchor ${root}`)),
    anchors: async (from: number, to: number) => {
      const found = list<AnchorState>('anchor/').filter((a) => a.block >= from && a.block <= to)
      found.sort((a, b) => a.block - b.block)
      return Promise.all(found.map(anchor))
    },
    remark: async (cid: string): Promise<w.WireRemark> => {
      const r = need(readRemark(state, cidParam(cid), 'committed'), `remark ${cid}`)
      const out: w.WireRemark = { ...(await inclusion(r)), cid: r.cid.toString(), sender: addr(r.sender) }
      if (r.transfer)
        out.transfer = { from: addr(r.sender), to: addr(r.transfer.to), amount: r.transfer.amount.toString() }
      return out
    },
    usage: (clusterId: string, period: number): w.WireUsageRecord[] =>
      list<UsageState>(key.usagePrefix(clusterId, period)).map((u) => ({
        bucketId: u.bucket,
        nodeId: nodeIdOf(u.node),
        storedBytes: u.storedBytes,
        readBytes: u.readBytes,
        requests: u.requests,
        reporter: addr(u.reporter),
        block: u.block,
      })),
    payout: async (clusterId: string, period: number): Promise<w.WirePayout> => {
      const p = need(readPayout(state, clusterId, period, 'committed'), `payout of ${clusterId} period ${period}`)
      const sum = (f: (l: (typeof p.lines)[number]) => bigint) => p.lines.reduce((a, l) => a + f(l), 0n).toString()
      return {
        ...(await inclusion(p)),
        clusterId,
        period,
        lines: p.lines.map((l) => ({
          bucketId: l.bucket,
          owner: addr(l.owner),
          nodeId: nodeIdOf(l.node),
          provider: addr(l.provider),
          due: l.due.toString(),
          charged: l.charged.toString(),
          shortfall: l.shortfall.toString(),
          toProvider: l.toProvider.toString(),
          toTreasury: l.toTreasury.toString(),
        })),
        totals: {
          due: sum((l) => l.due),
          charged: sum((l) => l.charged),
          shortfall: sum((l) => l.shortfall),
          toProviders: sum((l) => l.toProvider),
          toTreasury: sum((l) => l.toTreasury),
        },
      }
    },
    async tx(s: TxState): Promise<w.WireTx> {
      const bytes = s.status === 'pending' ? s.accepted.tx.bytes : s.stored.bytes
      const { payload, hash } = decodeTx(bytes)
      const base = {
        hash,
        status: s.status,
        signer: addr(payload.signer),
        nonce: payload.nonce,
        call: payload.call,
        args: JSON.parse(toDagJson(payload.args)),
        tip: payload.tip.toString(),
      }
      if (s.status === 'pending') return { ...base, fee: s.accepted.fee.toString(), events: s.accepted.events }
      const b = need(await chain.block(s.stored.block), `block ${s.stored.block}`)
      return { ...base, block: ref(b), index: s.stored.index, fee: s.stored.fee.toString(), events: s.stored.events }
    },
  }
}
