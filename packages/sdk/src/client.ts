/**
 * `createClient(init)` → `DdcClient`: the app-facing entry point. One signer (wallet, local key or
 * custodial service), placement through a CLS or explicit node URLs, optional scoped encryption.
 */
import type { Account, Bucket, BucketUpdate, Chain, TxReceipt } from '@ddc/chain'
import { type CID, type Head, SealVerifier, type SignedCapability, type Signer, toAccountId } from '@ddc/core'
import type { EncryptionModule, Grant, KeySource, Signed } from '@ddc/crypto'
import { type AppendOptions, appendBatch } from './append.js'
import { CaptureQueue, type CaptureQueueInit } from './capture-queue.js'
import type { Context } from './context.js'
import type { ReadEvent } from './decrypt.js'
import { eraseEvents } from './delete.js'
import { type FollowOptions, followEvents } from './follow.js'
import { type GrantRecord, type ListGrantsOptions, listGrants, recordGrant, revokeGrant } from './grants.js'
import { type AppendedEvent, type EventInput, HookChain, type Hooks } from './hooks.js'
import { Locator } from './locate.js'
import {
  account,
  appendOnChain,
  type CreateBucketInit,
  createBucket,
  deposit,
  needChain,
  type OnChainEvent,
  type OnChainOptions,
  updateBucket,
} from './onchain.js'
import {
  type EventsQuery,
  type GetOptions,
  readEvents,
  readHead,
  readOne,
  readTail,
  type TimelineHead,
} from './read.js'
import { openSession, type SessionInit } from './session.js'
import { acceptGrant, announceKey, lookupKey, type ShareInit, shareScope, type WireSigned } from './share.js'
import type { Fetch } from './transport.js'
import { listTimelines, type TimelineInfo, type TimelinesOptions } from './traverse.js'
import {
  type BucketVerifyReport,
  type VerifyOptions,
  type VerifyReport,
  verifyBucket,
  verifyTimeline,
} from './verify.js'

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
  /** How long a located replica set (and the CLS topology) is reused (default 30 s). */
  locateTtlMs?: number
  /** With a CLS: ask `/v1/locate` per timeline (default), or place from its cached `/v1/topology`. */
  placement?: 'locate' | 'topology'
  /** Signs read requests of private buckets (default: `signer`); e.g. a local key holding `readCapability`. */
  reader?: Signer
  readCapability?: SignedCapability[]
  /** 'auto' (default): unsigned first, signed once a bucket answers 401; 'always'; 'never'. */
  signReads?: 'auto' | 'always' | 'never'
  capture?: Omit<CaptureQueueInit, 'send'>
  hooks?: Hooks
  fetch?: Fetch
  /** Buckets, deposits and on-chain events: a Chain (dev chain or Substrate) that signs as this account. */
  chain?: Chain
  /** Whose timeline operations default to (default: the signer's); set by `startSession`. */
  owner?: string | Uint8Array
  /** Capability chain for appends to `owner`'s timeline when the signer is its delegate. */
  capability?: SignedCapability[]
}

export class DdcClient {
  readonly #ctx: Context
  readonly #init: ClientInit
  #queue: CaptureQueue | undefined
  readonly #captureInit: ClientInit['capture']

  constructor(init: ClientInit) {
    this.#init = init
    const hooks = new HookChain()
    if (init.hooks) hooks.use(init.hooks)
    const fetchFn = init.fetch ?? ((...a: Parameters<Fetch>) => globalThis.fetch(...a))
    this.#ctx = {
      signer: init.signer,
      owner: init.owner === undefined ? init.signer.accountId : toAccountId(init.owner),
      locator: new Locator({
        ...(init.nodes ? { nodes: init.nodes } : {}),
        ...(init.cls ? { cls: init.cls } : {}),
        ...(init.replicationFactor ? { replicationFactor: init.replicationFactor } : {}),
        ...(init.locateTtlMs !== undefined ? { ttlMs: init.locateTtlMs } : {}),
        ...(init.placement ? { placement: init.placement } : {}),
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
    if (init.capability) this.#ctx.capability = init.capability
    if (init.chain) this.#ctx.chain = init.chain
    this.#captureInit = init.capture
  }

  get address(): string {
    return this.#ctx.signer.address
  }

  /** The account whose timeline operations default to (the wallet's, under a session key). */
  get owner(): Uint8Array {
    return this.#ctx.owner
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
    owner: string | Uint8Array = this.#ctx.owner,
    signal?: AbortSignal,
  ): Promise<TimelineHead | null> {
    return readHead(this.#ctx, bucket, toAccountId(owner), signal)
  }

  /** Verified, decrypted events, page by page. */
  events(bucket: string, owner: string | Uint8Array = this.#ctx.owner, query?: EventsQuery): AsyncIterable<ReadEvent> {
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

  /** Grants one scope key to `grantee`; returns the signed grant (hand it over, or `record` it in DDC). */
  async share(init: ShareInit, signal?: AbortSignal): Promise<Signed<Grant>> {
    const grant = await shareScope(this.#ctx, init, signal)
    if (init.record) await recordGrant(this.#ctx, grant, signal)
    return grant
  }

  /** Grant records kept in DDC by a grantor (default: this account), with which are revoked. */
  grants(bucket: string, opts?: ListGrantsOptions): Promise<GrantRecord[]> {
    return listGrants(this.#ctx, bucket, opts)
  }

  /** Withdraws a recorded grant (raise the scope's epoch too, so that new data is out of its reach). */
  revokeGrant(bucket: string, record: CID | string, signal?: AbortSignal): Promise<AppendedEvent> {
    return revokeGrant(this.#ctx, bucket, record, signal)
  }

  /** Opens a grant addressed to this signer and adds its key to this client's KeyRing. */
  openGrant(grant: { bytes: Uint8Array; seal: unknown } | WireSigned): Promise<void> {
    return acceptGrant(this.#ctx, grant)
  }

  /** Signatures and links; with `{chain}` also the anchors on chain (see verify.ts). */
  verifyTimeline(
    bucket: string,
    owner: string | Uint8Array = this.#ctx.owner,
    options?: AbortSignal | VerifyOptions,
  ): Promise<VerifyReport> {
    return verifyTimeline(this.#ctx, bucket, owner, options)
  }

  /** verifyTimeline over every timeline of the bucket; stops at the first failure. */
  verifyBucket(bucket: string, options?: VerifyOptions): Promise<BucketVerifyReport> {
    return verifyBucket(this.#ctx, bucket, options)
  }

  /**
   * Streams events as they are appended to a timeline (default: from after the current head). Every
   * event is verified and decrypted like `events`; stop with `signal` or by leaving the loop.
   */
  follow(bucket: string, owner: string | Uint8Array = this.#ctx.owner, opts?: FollowOptions): AsyncIterable<ReadEvent> {
    return followEvents(this.#ctx, bucket, toAccountId(owner), opts)
  }

  /**
   * One wallet prompt for a whole session: the signer signs a capability for a fresh in-memory key,
   * and the returned client signs every batch and read with that key, on this account's timeline.
   */
  async startSession(init: SessionInit): Promise<DdcClient> {
    const { key, capability } = await openSession(this.#ctx, init)
    const client = new DdcClient({
      ...this.#init,
      signer: key,
      reader: key,
      owner: this.#ctx.owner,
      capability,
      readCapability: capability,
    })
    if (this.#ctx.keys) client.#ctx.keys = this.#ctx.keys
    return client
  }

  // ---- on chain (needs `chain`) ----------------------------------------------------------------

  /** Creates a bucket owned by this account (in the first cluster unless `clusterId`). */
  createBucket(init?: CreateBucketInit): Promise<Bucket> {
    return createBucket(this.#ctx, init)
  }

  /** Changes a bucket's settings or visibility (its owner only). */
  updateBucket(id: string, update: BucketUpdate, signal?: AbortSignal): Promise<Bucket> {
    return updateBucket(this.#ctx, id, update, signal)
  }

  bucket(id: string, signal?: AbortSignal): Promise<Bucket> {
    return needChain(this.#ctx).getBucket(id, signal)
  }

  /** The buckets an account owns (default: this one). */
  buckets(owner: string | Uint8Array = this.#ctx.owner, signal?: AbortSignal): Promise<Bucket[]> {
    return needChain(this.#ctx).listBuckets(owner, signal)
  }

  /** Adds to this account's DDC deposit (pays the data-operation fees of its buckets). */
  deposit(amount: bigint, signal?: AbortSignal): Promise<TxReceipt> {
    return deposit(this.#ctx, amount, signal)
  }

  /** Balance, deposit and nonce of this account. */
  account(signal?: AbortSignal): Promise<Account> {
    return account(this.#ctx, signal)
  }

  /** Appends an event and submits a remark carrying its CID (and `transfer`, atomically) to the chain. */
  appendOnChain(bucket: string, event: EventInput, opts?: OnChainOptions): Promise<OnChainEvent> {
    return appendOnChain(this.#ctx, bucket, event, opts)
  }

  /** Flushes and closes the capture queue. */
  async close(): Promise<void> {
    await this.#queue?.close()
  }
}

export const createClient = (init: ClientInit): DdcClient => new DdcClient(init)
