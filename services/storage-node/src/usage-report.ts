/**
 * Usage reports (DESIGN.md "Chain": data-operation fees). At the end of every payout period the node
 * reports, per bucket of its cluster, the bytes it stores, and the bytes read and requests served
 * since its last report (store/usage.ts keeps running totals), through `Chain.submitUsage` signed by
 * the node's own key. A node configured with the cluster manager's key also runs the payout of the
 * period before (one period of grace lets every node report first), which charges the owners'
 * deposits and pays the providers.
 *
 * Crash safety: the totals a report covers are written (`usage/pending`) before it is submitted, and
 * become the new baseline (`usage/reported`) once the chain has it; a pending report is settled
 * against the chain on the next round, so reads are never charged twice nor forgotten.
 */
import { type Chain, NotSupportedError, nodeIdOf, PeriodClosedError, type UsageRecord } from '@ddc/chain'
import { decodeCanonical, encodeCanonical } from '@ddc/core'
import type { TimelineStore } from './store/types.js'

const REPORTED = 'usage/reported'
const PENDING = 'usage/pending'

type Totals = Record<string, { bytesRead: number; requests: number }>

interface Baseline {
  /** Last period reported (or given up on, when it was paid out before this node reported). */
  period: number
  totals: Totals
}

interface Pending extends Baseline {
  records: UsageRecord[]
}

export interface UsageReporterInit {
  store: TimelineStore
  /** Signs with the node's key (its id is the signer's public key). */
  chain: Chain
  /** Payout period in ms: period n covers [n·periodMs, (n+1)·periodMs). */
  periodMs: number
  /** Signs as the cluster manager: this node also runs payouts. */
  manager?: Chain
  now?: () => number
  onError?: (err: unknown) => void
}

export interface UsageReport {
  period: number
  records: UsageRecord[]
}

export interface UsageReporter {
  /** Reports `period` (default: the last closed one) unless already reported; answers what was sent. */
  reportNow(period?: number): Promise<UsageReport | undefined>
  close(): Promise<void>
}

const encode = (v: unknown) => encodeCanonical(v)

export function createUsageReporter(init: UsageReporterInit): UsageReporter {
  const { store, chain } = init
  const now = init.now ?? Date.now
  if (!chain.address) throw new Error('usage reports are signed by the node key: give the chain a signer')
  const nodeId = nodeIdOf(chain.address)
  let cluster: Promise<string> | undefined
  let running: Promise<unknown> = Promise.resolve()

  const clusterId = () => {
    cluster ??= chain.getNode(nodeId).then((n) => {
      if (!n.clusterId) throw new Error(`storage node ${nodeId} is in no cluster: nothing to report usage to`)
      return n.clusterId
    })
    cluster.catch(() => {
      cluster = undefined
    })
    return cluster
  }

  async function baseline(): Promise<Baseline> {
    const [v] = await store.getRecords([REPORTED])
    return v ? decodeCanonical<Baseline>(v) : { period: -1, totals: {} }
  }

  /** Submits a written report; a period paid out meanwhile keeps the old totals (rolled into the next). */
  async function settle(p: Pending, prev: Baseline): Promise<boolean> {
    const clusterOf = await clusterId()
    let done: Baseline = p
    try {
      await chain.submitUsage({ clusterId: clusterOf, period: p.period, records: p.records })
    } catch (err) {
      if (!(err instanceof PeriodClosedError)) throw err
      const onChain = await chain.getUsage(clusterOf, p.period)
      const landed = p.records.every((r) =>
        onChain.some((u) => u.nodeId === r.nodeId && u.bucketId === r.bucketId && u.requests === r.requests),
      )
      if (!landed) done = { period: p.period, totals: prev.totals }
    }
    await store.putRecords({ put: [[REPORTED, encode(done)]], del: [PENDING] })
    return done === p
  }

  async function report(period: number): Promise<UsageReport | undefined> {
    const prev = await baseline()
    const [pending] = await store.getRecords([PENDING])
    if (pending) {
      await settle(decodeCanonical<Pending>(pending), prev)
      return report(period)
    }
    if (period <= prev.period) return undefined
    const clusterOf = await clusterId()
    const records: UsageRecord[] = []
    const totals: Totals = {}
    for (const u of await store.usage()) {
      const bucket = await chain.getBucket(u.bucket).catch(() => undefined)
      if (bucket?.clusterId !== clusterOf) continue
      totals[u.bucket] = { bytesRead: u.bytesRead, requests: u.requests }
      const was = prev.totals[u.bucket] ?? { bytesRead: 0, requests: 0 }
      const line = {
        bucketId: u.bucket,
        nodeId,
        storedBytes: Math.max(0, u.bytesStored),
        readBytes: Math.max(0, u.bytesRead - was.bytesRead),
        requests: Math.max(0, u.requests - was.requests),
      }
      if (line.storedBytes || line.readBytes || line.requests) records.push(line)
    }
    if (records.length === 0) return undefined
    const p: Pending = { period, totals: { ...prev.totals, ...totals }, records }
    await store.putRecords({ put: [[PENDING, encode(p)]] })
    return (await settle(p, prev)) ? { period, records } : undefined
  }

  async function round(period: number): Promise<UsageReport | undefined> {
    const sent = await report(period)
    if (init.manager && period >= 1) await init.manager.runPayout(await clusterId(), period - 1)
    return sent
  }

  const reportNow = (period = Math.floor(now() / init.periodMs) - 1) => {
    const next = running.catch(() => undefined).then(() => round(period))
    running = next
    return next
  }

  const timer = setInterval(() => {
    reportNow().catch((err) => {
      // A chain without client-driven payouts (Cere's validators run them): stop asking.
      if (err instanceof NotSupportedError) clearInterval(timer)
      init.onError?.(err)
    })
  }, init.periodMs)
  timer.unref()

  return {
    reportNow,
    async close() {
      clearInterval(timer)
      await running.catch(() => undefined)
    },
  }
}
