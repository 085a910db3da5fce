/** @ddc/storage-node — the DDC storage node: verifying, durable timeline store with HTTP API and IPFS gateway. */

export { bucketsOf, loadNodeConfig, NodeConfig } from './config.js'
export { createStorageNode, type StorageNode, type StorageNodeInit } from './node.js'
export {
  type ClusterDirectory,
  ForkError,
  QuorumError,
  type Replication,
  type ReplicationInit,
} from './replication/index.js'
export { type SpawnedNode, type SpawnInit, spawnStorageNode } from './spawn.js'
export { type LevelStoreInit, openLevelStore } from './store/level.js'
export type {
  AppendPlan,
  Block,
  BlockStore,
  CheckReport,
  EventPage,
  EventQuery,
  NewEvent,
  QueryCursor,
  StoredEvent,
  TimelineAppend,
  TimelineInfo,
  TimelineRef,
  TimelineStore,
  Usage,
} from './store/types.js'
export { createVerifyPool, type VerifyPool, type VerifyPoolInit } from './verify-pool.js'
