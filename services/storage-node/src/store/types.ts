/**
 * The storage-engine boundary (README "Storage engines"). An engine stores blocks by CID and
 * timelines as append-only sequences with a few indexes; everything above it — wire formats,
 * verification, authorization, linking — is engine-agnostic. LevelDB (store/level.ts) is the one
 * engine today; another (SQLite, a remote KV) implements these two interfaces and passes
 * store/contract.test.ts.
 */
import type { CID, Head, Seal } from '@ddc/core'

export type { Head }

/** A timeline: the append-only log of one owner (AccountId32) inside one bucket. */
export interface TimelineRef {
  bucket: string
  owner: Uint8Array
}

export interface TimelineInfo extends TimelineRef {
  head: Head
  length: number
}

/** A block read back from the store, already checked against its CID. */
export interface Block {
  bytes: Uint8Array
  /** The timeline the block was stored for (its access rules apply). */
  ref?: TimelineRef
}

export interface BlockStore {
  /** The block's bytes, verified against `cid`; undefined when absent (or erased). */
  getBlock(cid: CID): Promise<Block | undefined>
  /** Many blocks at once (one engine round trip), in order. */
  getBlocks(cids: readonly CID[]): Promise<(Block | undefined)[]>
  hasBlock(cid: CID): Promise<boolean>
}

export interface NewEvent {
  cid: CID
  bytes: Uint8Array
  seq: number
  type: string
  ts: number
  seal: Seal
  body?: { cid: CID; bytes: Uint8Array }
}

export interface TimelineAppend {
  ref: TimelineRef
  /** The head this append extends (null: the timeline must be empty). Compare-and-set. */
  expect: Head | null
  /** Consecutive events following `expect`. */
  events: NewEvent[]
}

/** One atomic unit of change: everything in it is stored durably, or nothing is. */
export interface AppendPlan {
  timelines: TimelineAppend[]
  /** Capability blocks the plan's delegated events were authorized by, kept for later verification. */
  capabilities: { ref: TimelineRef; cid: CID; bytes: Uint8Array; seal: Seal }[]
  /** Body blocks that tombstones in this plan erase: the body of event `seq` of `ref`. */
  erase: { ref: TimelineRef; seq: number; cid: CID; bytes: number }[]
}

export interface StoredEvent {
  seq: number
  cid: CID
  seal: Seal
  /**
   * Blocks an engine has at hand anyway (unverified: the reader checks them against their CIDs):
   * the envelope, and the body (null when the event has none or it was erased). Absent: ask getBlocks.
   */
  env?: Uint8Array
  body?: Uint8Array | null
}

export interface QueryCursor {
  seq: number
  /** Present when the query walks the client-timestamp index. */
  ts?: number
}

export interface EventQuery {
  order: 'asc' | 'desc'
  limit: number
  /** Inclusive sequence bounds. */
  fromSeq?: number
  toSeq?: number
  type?: string
  /** Client timestamp bounds in ms: since inclusive, until exclusive. */
  since?: number
  until?: number
  /** Continue after this position (a previous page's `next`). */
  after?: QueryCursor
}

export interface EventPage {
  events: StoredEvent[]
  next?: QueryCursor
}

export interface Usage {
  bucket: string
  /** Bytes of blocks held (envelopes, bodies, capabilities), less erased bodies. */
  bytesStored: number
  /** Bytes of blocks served. */
  bytesRead: number
  requests: number
  events: number
  bytesErased: number
}

/**
 * Bookkeeping of components above the store (anchoring, usage reports): named records, and blocks
 * that belong to no timeline (anchor trees, readable by anyone), written atomically and durably.
 */
export interface RecordWrite {
  put?: [name: string, value: Uint8Array][]
  del?: string[]
  blocks?: { cid: CID; bytes: Uint8Array }[]
}

export interface RecordQuery {
  prefix: string
  /** First name to answer (inclusive; default: the first under the prefix, or the last when reverse). */
  from?: string
  /** Descending name order. */
  reverse?: boolean
  limit: number
}

export interface CheckReport {
  blocks: number
  timelines: number
  events: number
  redacted: number
  errors: string[]
}

export interface TimelineStore extends BlockStore {
  /**
   * Applies a plan atomically and durably (synced before the promise resolves). Throws ConflictError
   * (details.head) when a timeline's head is not `expect`. Concurrent plans are group-committed.
   */
  apply(plan: AppendPlan): Promise<Head[]>
  /** Durable head (what readers may see), null for an empty timeline. */
  head(ref: TimelineRef): Promise<Head | null>
  eventAt(ref: TimelineRef, seq: number): Promise<StoredEvent | undefined>
  /** Where an envelope lives. */
  locate(cid: CID): Promise<{ ref: TimelineRef; event: StoredEvent } | undefined>
  query(ref: TimelineRef, q: EventQuery): Promise<EventPage>
  timelines(bucket: string, opts: { after?: Uint8Array; limit: number }): Promise<TimelineInfo[]>
  buckets(): Promise<string[]>
  capabilitySeal(cid: CID): Promise<Seal | undefined>
  /** Waits until every plan applied so far is durable. */
  flush(): Promise<void>
  /** Counts reads and requests (kept in memory, written with the next commit or within seconds). */
  recordUsage(bucket: string, delta: { bytesRead?: number; requests?: number }): void
  usage(bucket?: string): Promise<Usage[]>
  /** Writes records and blocks in one durable batch (see RecordWrite). */
  putRecords(write: RecordWrite): Promise<void>
  getRecords(names: readonly string[]): Promise<(Uint8Array | undefined)[]>
  /** Records whose names start with `prefix`, in name order. */
  listRecords(q: RecordQuery): Promise<[name: string, value: Uint8Array][]>
  /**
   * Replaces the stored bytes of a block with `bytes` (already verified against `cid` by the caller):
   * repairs a corrupted copy from a healthy replica. False when the store does not hold the block.
   */
  rewriteBlock(cid: CID, bytes: Uint8Array): Promise<boolean>
  healthy(): Promise<boolean>
  /** Walks everything: every block against its CID, every timeline's links and indexes. */
  check(): Promise<CheckReport>
  close(): Promise<void>
}
