/** @ddc/cls — the DDC Content Lookup Service, for in-process use (tests, devnet) and for reuse of its parts. */

export { ClsConfig } from './config.js'
export type { HealthStatus, NodeHealth } from './health.js'
export { isServing, type Placement, placeTimeline } from './locate.js'
export { type Cls, type ClsInit, createCls } from './server.js'
export type { ClusterView, TopologySnapshot } from './topology.js'
export {
  type ListingAuth,
  type ListingNode,
  type ListPageInit,
  listTimelinesPage,
  type NodeFailure,
  type TimelinePage,
  type TimelineSummary,
  type TraverseInit,
  traverseBucket,
} from './traversal.js'
