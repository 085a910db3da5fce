/** @ddc/sdk — the DDC client: append signed, scoped-encrypted events; read, traverse, decrypt, share, erase, verify. */
export type { AppendOptions } from './append.js'
export {
  CaptureQueue,
  type CaptureQueueInit,
  createCaptureQueue,
  type FailedCapture,
  type SendBatch,
} from './capture-queue.js'
export { type ClientInit, createClient, DdcClient } from './client.js'
export type { ReadEvent, WireEvent } from './decrypt.js'
export {
  AllReplicasFailedError,
  isRetryable,
  NotConfiguredError,
  QueueClosedError,
  RebaseExhaustedError,
} from './errors.js'
export type { FollowOptions } from './follow.js'
export type { GrantRecord, ListGrantsOptions } from './grants.js'
export type { AppendContext, AppendedEvent, EventInput, Hooks } from './hooks.js'
export { Locator, type LocatorInit, type Replica } from './locate.js'
export type { CreateBucketInit, OnChainEvent, OnChainOptions } from './onchain.js'
export type { EventsQuery, GetOptions, TimelineHead } from './read.js'
export type { SessionGrant, SessionInit } from './session.js'
export { fromWire, type ShareInit, toWire, type WireSigned } from './share.js'
export { GRANT_TYPE, REVOKE_TYPE } from './system-events.js'
export type { TimelineInfo, TimelinesOptions } from './traverse.js'
export type {
  AnchorCoverage,
  BucketVerifyReport,
  VerifyFailure,
  VerifyOptions,
  VerifyReport,
} from './verify.js'
