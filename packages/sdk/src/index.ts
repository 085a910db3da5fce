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
export type { AppendContext, AppendedEvent, EventInput, Hooks } from './hooks.js'
export { Locator, type LocatorInit, type Replica } from './locate.js'
export type { EventsQuery, GetOptions, TimelineHead } from './read.js'
export { fromWire, type ShareInit, toWire, type WireSigned } from './share.js'
export type { TimelineInfo, TimelinesOptions } from './traverse.js'
export type { VerifyFailure, VerifyReport } from './verify.js'
