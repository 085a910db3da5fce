/** What every route of the CLS works with (built once in ../server.ts). */
import type { Chain } from '@ddc/chain'
import type { DelegationContext } from '../delegation.js'
import type { HealthProber } from '../health.js'
import type { KeyDirectory } from '../key-directory.js'
import type { ClsMetrics } from '../metrics.js'
import type { Topology } from '../topology.js'

export interface RouteContext {
  chain: Chain
  topology: Topology
  prober: HealthProber
  keys: KeyDirectory
  delegation: DelegationContext
  metrics: ClsMetrics
  /** Timeout of listing requests to storage nodes. */
  nodeTimeoutMs: number
  /** The chain's SS58 prefix (42 until the chain has answered): every account the CLS writes uses it. */
  ss58Prefix(): number
}
