/**
 * Usage reports and the payout that settles a (cluster, period): charges each bucket owner's deposit
 * and pays each node's provider, with the treasury's share, balancing to the token (./accounting.ts).
 * A period is paid once; after that its usage is closed.
 */

import { NotOwnerError, PeriodClosedError } from '@ddc/chain'
import { bytesEqual, InvalidInputError, toHex } from '@ddc/core'
import { priceOf, settle } from '../accounting.js'
import * as p from '../args.js'
import { key, type PayoutLineState, type PayoutState, readAccount, type UsageState, writeAccount } from '../model.js'
import { addressOf, type CallContext, defineCall } from './context.js'
import { getBucket, getCluster, getNode, requireSender } from './topology.js'

const MAX_RECORDS = 1024

function requireOpen(ctx: CallContext, cluster: string, period: number): void {
  if (ctx.state.get(key.payout(cluster, period))) {
    throw new PeriodClosedError(`period ${period} of cluster ${cluster} is already paid out`)
  }
}

export const usageReport = defineCall({
  parse: (a) => {
    p.fields(a, ['cluster', 'period', 'records'])
    if (!Array.isArray(a.records) || a.records.length < 1 || a.records.length > MAX_RECORDS) {
      throw new InvalidInputError(`records: 1 to ${MAX_RECORDS} usage lines`)
    }
    const records = a.records.map((r: Record<string, unknown>) => {
      if (!r || typeof r !== 'object') throw new InvalidInputError('a usage line is a map')
      p.fields(r, ['bucket', 'node', 'storedBytes', 'readBytes', 'requests'])
      return {
        bucket: p.id(r.bucket, 'bucket'),
        node: p.account(r.node, 'node'),
        storedBytes: p.nat(r.storedBytes, 'storedBytes'),
        readBytes: p.nat(r.readBytes, 'readBytes'),
        requests: p.nat(r.requests, 'requests'),
      }
    })
    return { cluster: p.id(a.cluster, 'cluster'), period: p.nat(a.period, 'period'), records }
  },
  apply(ctx, a) {
    const cluster = getCluster(ctx.state, a.cluster)
    requireOpen(ctx, a.cluster, a.period)
    for (const r of a.records) {
      const bucket = getBucket(ctx.state, r.bucket)
      if (bucket.cluster !== a.cluster) throw new InvalidInputError(`bucket ${r.bucket} is not in cluster ${a.cluster}`)
      const node = getNode(ctx.state, r.node)
      if (node.cluster !== a.cluster)
        throw new InvalidInputError(`node ${toHex(r.node)} is not in cluster ${a.cluster}`)
      // The node itself (its own key, as storage nodes report), its provider or the cluster manager.
      const reporters = [r.node, node.provider, cluster.manager]
      if (!reporters.some((who) => bytesEqual(ctx.sender, who))) {
        throw new NotOwnerError(`only node ${toHex(r.node)}, its provider or the cluster manager reports its usage`)
      }
      // A later report for the same line replaces the earlier one until the period is paid.
      const usage: UsageState = { ...r, reporter: ctx.sender, block: ctx.block }
      ctx.state.put(key.usage(a.cluster, a.period, r.bucket, r.node), usage)
    }
    ctx.emit('usage.Reported', { cluster: a.cluster, period: a.period, records: a.records.length })
  },
})

export const payoutRun = defineCall({
  parse: (a) => {
    p.fields(a, ['cluster', 'period'])
    return { cluster: p.id(a.cluster, 'cluster'), period: p.nat(a.period, 'period') }
  },
  apply(ctx, a) {
    const cluster = getCluster(ctx.state, a.cluster)
    requireSender(ctx, cluster.manager, `manager of cluster ${a.cluster}`)
    requireOpen(ctx, a.cluster, a.period)
    const { pricing, treasury } = ctx.params
    const lines: PayoutLineState[] = []
    // Keys sort by bucket then node: a short deposit is drawn down in the same order everywhere.
    for (const k of ctx.state.keys(key.usagePrefix(a.cluster, a.period))) {
      const u = ctx.state.get<UsageState>(k)!
      const owner = getBucket(ctx.state, u.bucket).owner
      const provider = getNode(ctx.state, u.node).provider
      const due = priceOf(u, pricing)
      const ownerAcct = readAccount(ctx.state, owner)
      const s = settle(due, ownerAcct.reserved, pricing.treasuryShare)
      writeAccount(ctx.state, owner, { ...ownerAcct, reserved: ownerAcct.reserved - s.charged })
      const prov = readAccount(ctx.state, provider)
      writeAccount(ctx.state, provider, { ...prov, free: prov.free + s.toProvider })
      const t = readAccount(ctx.state, treasury)
      writeAccount(ctx.state, treasury, { ...t, free: t.free + s.toTreasury })
      lines.push({ bucket: u.bucket, owner, node: u.node, provider, due, ...s })
    }
    const payout: PayoutState = { cluster: a.cluster, period: a.period, lines, tx: ctx.txHash, block: ctx.block }
    ctx.state.put(key.payout(a.cluster, a.period), payout)
    const sum = (f: (l: PayoutLineState) => bigint) => lines.reduce((acc, l) => acc + f(l), 0n).toString()
    ctx.emit('payouts.Completed', {
      cluster: a.cluster,
      period: a.period,
      lines: lines.length,
      charged: sum((l) => l.charged),
      shortfall: sum((l) => l.shortfall),
      toTreasury: sum((l) => l.toTreasury),
      manager: addressOf(ctx, ctx.sender),
    })
  },
})
