/**
 * `createClient(init)` → `DdcClient`: the app-facing entry point. One signer (wallet, local key or
 * custodial service), placement through a CLS or explicit node URLs, optional scoped encryption.
 */
import { type CID, type Head, SealVerifier, type SignedCapability, type Signer, toAccountId } from '@ddc/core'
import type { EncryptionModule, Grant, KeySource, Signed } from '@ddc/crypto'
import { type AppendOptions, appendBatch } from './append.js'
import { CaptureQueue, type CaptureQueueInit } from './capture-queue.js'
import type { Context } from './context.js'
import type { ReadEvent } from './decrypt.js'
import { eraseEvents } from './delete.js'
import { type AppendedEvent, type EventInput, HookChain, type Hooks } from './hooks.js'
import { Locator } from './locate.js'
import {
  type EventsQuery,
  type GetOptions,
  readEvents,
  readHead,
  readOne,
  readTail,
  type TimelineHead,
} from './read.js'
import { acceptGrant, announceKey, lookupKey, type ShareInit, shareScope, type WireSigned } from './share.js'
import type { Fetch } from './transport.js'
import { listTimelines, type TimelineInfo, type TimelinesOptions } from './traverse.js'
import { type VerifyReport, verifyTimeline } from './verify.js'

export interface ClientInit {
  signer: Signer
  /** Storage node URLs (placement computed locally with `replicaSet`). */
  nodes?: string[]
  /** CLS URL (placement, traversal, key directory). */
  cls?: string
  encryption?: {
    module: EncryptionModule
    /** Key source; a KeyRing also lets the client share keys and receive grants. */
    keys: KeySource
    /** Further modules to read with. */
    readModules?: EncryptionModule[]
  }
  /** Per request (default 10 s). */
  timeoutMs?: number
  /** Extra attempts beyond one per replica (default 2). */
  retries?: number
  /** First backoff between rounds over the replicas (default 100 ms, doubling). */
  backoffMs?: number
  /** Re-link and re-sign attempts on ERR_CONFLICT (default 8). */
  maxRebases?: number
  replicationFactor?: number
  /** How long a located replica set is reused (default 30 s). */
  locateTtlMs?: number
  /** Signs read requests of private buckets (default: `signer`); e.g. a local key holding `readCapability`. */
  reader?: Signer
  readCapability?: SignedCapability[]
  /** 'auto' (default): unsigned first, signed once a bucket answers 401; 'always'; 'never'. */
  signReads?: 'auto' | 'always' | 'never'
  capture?: Omit<CaptureQueueInit, 'send'>
  hooks?: Hooks
  fetch?: Fetch
}

export class DdcClient {
  readonly #ctx: Context
  #queue: CaptureQueue | undefined
  readonly #captureInit: ClientInit['capture']

  constructor(init: ClientInit) {
    const hooks = new HookChain()
    if (init.hooks) hooks.use(init.hooks)
    const fetchFn = init.fetch ?? ((...a: Parameters<Fetch>) => globalThis.fetch(...a))
    this.#ctx = {
      signer: init.signer,
      locator: new Locator({
        ...(init.nodes ? { nodes: init.nodes } : {}),
        ...(init.cls ? { cls: init.cls } : {}),
        ...(init.replicationFactor ? { replicationFactor: init.replicationFactor } : {}),
        ...(init.locateTtlMs !== undefined ? { ttlMs: init.locateTtlMs } : {}),
        ...(init.timeoutMs ? { timeoutMs: init.timeoutMs } : {}),
        fetch: fetchFn,
      }),
      fetch: fetchFn,
      timeoutMs: init.timeoutMs ?? 10_000,
      retries: init.retries ?? 2,
      backoffMs: init.backoffMs ?? 100,
      maxRebases: init.maxRebases ?? 8,
      modules: init.encryption ? [init.encryption.module, ...(init.encryption.readModules ?? [])] : [],
      hooks,
      reader: init.reader ?? init.signer,
      signReads: init.signReads ?? 'auto',
      privateBuckets: new Set(),
      heads: new Map<string, Head | null>(),
      locks: new Map(),
      seals: new SealVerifier(),
    }
    if (init.encryption) {
      this.#ctx.module = init.encryption.module
      this.#ctx.keys = init.encryption.keys
    }
    if (init.readCapability) this.#ctx.readCapability = init.readCapability
    this.#captureInit = init.capture
  }

  get address(): string {
    return this.#ctx.signer.address
  }

  /** The client's key source (a KeyRing gains keys from `openGrant`). */
  get keys(): KeySource | undefined {
    return this.#ctx.keys
  }

  /** Adds pipeline hooks; returns a function that removes them. */
  use(hooks: Hooks): () => void {
    return this.#ctx.hooks.use(hooks)
  }

  /** Appends one event to the signer's own timeline (or `opts.owner`'s, as a delegate). */
  async append(bucket: string, event: EventInput, opts?: AppendOptions): Promise<AppendedEvent | null> {
    const [r] = await appendBatch(this.#ctx, bucket, [event], opts)
    return r ?? null
  }

  /** Appends a batch: one signature, one request. Events a hook dropped are left out of the answer. */
  async appendMany(bucket: string, events: readonly EventInput[], opts?: AppendOptions): Promise<AppendedEvent[]> {
    return (await appendBatch(this.#ctx, bucket, events, opts)).filter((e): e is AppendedEvent => e !== null)
  }

  /** The client's capture queue (created on first use). */
  get queue(): CaptureQueue {
    this.#queue ??= new CaptureQueue({
      ...this.#captureInit,
      send: (bucket, events) => appendBatch(this.#ctx, bucket, events),
    })
    return this.#queue
  }

  /** Queues an event; it goes out with others captured around the same time, in one batch. */
  capture(bucket: string, event: EventInput): Promise<AppendedEvent | null> {
    return this.queue.capture(bucket, event)
  }

  flush(): Promise<void> {
    return this.#queue?.flush() ?? Promise.resolve()
  }

  head(
    bucket: string,
    owner: string | Uint8Array = this.#ctx.signer.accountId,
    signal?: AbortSignal,
  ): Promise<TimelineHead | null> {
    return readHead(this.#ctx, bucket, toAccountId(owner), signal)
  }

  /** Verified, decrypted events, page by page. */
  events(
    bucket: string,
    owner: string | Uint8Array = this.#ctx.signer.accountId,
    query?: EventsQuery,
  ): AsyncIterable<ReadEvent> {
    return readEvents(this.#ctx, bucket, toAccountId(owner), query)
  }

  tail(bucket: string, owner: string | Uint8Array, k: number, signal?: AbortSignal): Promise<ReadEvent[]> {
    return readTail(this.#ctx, bucket, toAccountId(owner), k, signal)
  }

  get(cid: CID | string, opts?: Omit<GetOptions, 'owner'> & { owner?: string | Uint8Array }): Promise<ReadEvent> {
    const { owner, ...rest } = opts ?? {}
    return readOne(this.#ctx, cid, owner === undefined ? rest : { ...rest, owner: toAccountId(owner) })
  }

  /** Every timeline of a bucket (per-application traversal). */
  timelines(bucket: string, opts?: TimelinesOptions): AsyncIterable<TimelineInfo> {
    return listTimelines(this.#ctx, bucket, opts)
  }

  /** Appends a tombstone: the named events (or all earlier ones) read back `redacted`. */
  erase(bucket: string, what: readonly (CID | string)[] | 'all', opts?: AppendOptions): Promise<AppendedEvent> {
    return eraseEvents(this.#ctx, bucket, what, opts)
  }

  /** Publishes this signer's X25519 key to the CLS key directory (needed to receive grants). */
  announceKey(signal?: AbortSignal): Promise<void> {
    return announceKey(this.#ctx, signal)
  }

  lookupKey(account: string | Uint8Array, signal?: AbortSignal) {
    return lookupKey(this.#ctx, account, signal)
  }

  /** Grants one scope key to `grantee`; returns the signed grant (hand it over; see share.ts). */
  share(init: ShareInit, signal?: AbortSignal): Promise<Signed<Grant>> {
    return shareScope(this.#ctx, init, signal)
  }

  /** Opens a grant addressed to this signer and adds its key to this client's KeyRing. */
  openGrant(grant: { bytes: Uint8Array; seal: unknown } | WireSigned): Promise<void> {
    return acceptGrant(this.#ctx, grant)
  }

  verifyTimeline(
    bucket: string,
    owner: string | Uint8Array = this.#ctx.signer.accountId,
    signal?: AbortSignal,
  ): Promise<VerifyReport> {
    return verifyTimeline(this.#ctx, bucket, owner, signal)
  }

  /** Flushes and closes the capture queue. */
  async close(): Promise<void> {
    await this.#queue?.close()
  }
}

export const createClient = (init: ClientInit): DdcClient => new DdcClient(init)
