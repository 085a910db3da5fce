/** Every call of the dev chain, by name (the `call` field of a transaction). */
import type { CallName } from '@ddc/chain/dev'
import { depositAdd, depositWithdraw, transfer } from './balances.js'
import type { CallHandler } from './context.js'
import { payoutRun, usageReport } from './payouts.js'
import { anchorSubmit, remarkSubmit } from './records.js'
import { bucketCreate, bucketUpdate, clusterAddNode, clusterCreate, nodeRegister, nodeUpdate } from './topology.js'

export const CALLS: Record<CallName, CallHandler<never>> = {
  'balances.transfer': transfer,
  'buckets.create': bucketCreate,
  'buckets.update': bucketUpdate,
  'clusters.create': clusterCreate,
  'clusters.addNode': clusterAddNode,
  'nodes.register': nodeRegister,
  'nodes.update': nodeUpdate,
  'anchors.submit': anchorSubmit,
  'remarks.submit': remarkSubmit,
  'deposits.add': depositAdd,
  'deposits.withdraw': depositWithdraw,
  'usage.report': usageReport,
  'payouts.run': payoutRun,
} as Record<CallName, CallHandler<never>>

export function callHandler(name: string): CallHandler<unknown> | undefined {
  return Object.hasOwn(CALLS, name) ? (CALLS[name as CallName] as CallHandler<unknown>) : undefined
}

export type { CallContext, CallHandler } from './context.js'
