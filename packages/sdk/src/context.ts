/**
 * What every operation shares: the signer, placement, transport settings, keys, hooks and caches —
 * plus the two helpers everything goes through: `onReplicas` (failover with backoff) and `readCall`
 * (unsigned first, or a signed request for private buckets).
 */

import type { Chain } from '@ddc/chain'
import {
  type Head,
  type SealVerifier,
  type SignedCapability,
  type Signer,
  signRequest,
  toHex,
  UnauthorizedError,
} from '@ddc/core'
import type { EncryptionModule, KeySource } from '@ddc/crypto'
import { AllReplicasFailedError, isRetryable } from './errors.js'
import type { HookChain } from './hooks.js'
import type { Locator, Replica } from './locate.js'
import { type CallInit, call, type Fetch, sleep } from './transport.js'

export interface Context {
  signer: Signer
  /** Whose timeline operations default to: the signer's, or the wallet's under a session key. */
  owner: Uint8Array
  /** Capability chain for appends to `owner`'s timeline when the signer is a delegate (a session). */
  capability?: SignedCapability[]
  /** Buckets, deposits and on-chain events (a Chain that signs as the client's account). */
  chain?: Chain
  locator: Locator
  fetch: Fetch
  timeoutMs: number
  retries: number
  backoffMs: number
  maxRebases: number
  /** Encryption for appends (absent: all data goes to `pub`, in the clear). */
  module?: EncryptionModule
  /** Modules readers can decrypt with (the append module first). */
  modules: EncryptionModule[]
  keys?: KeySource
  hooks: HookChain
  /** Who signs read requests on private buckets (default: the signer), and the read capability it holds. */
  reader: Signer
  readCapability?: SignedCapability[]
  /** 'auto': unsigned first, signed once a bucket turns out private; 'always'; 'never'. */
  signReads: 'auto' | 'always' | 'never'
  privateBuckets: Set<string>
  heads: Map<string, Head | null>
  /** Per-timeline append chains (one batch in flight per timeline per client). */
  locks: Map<string, Promise<void>>
  seals: SealVerifier
}

export const timelineKey = (bucket: string, owner: Uint8Array) => `${bucket}|${toHex(owner)}`

/**
 * Runs `fn` against the replicas of (bucket, owner) in order, moving on (with backoff) on network
 * errors, timeouts, 5xx and ERR_UNAVAILABLE; other errors are answers and are thrown at once.
 */
export async function onReplicas<T>(
  ctx: Context,
  bucket: string,
  owner: Uint8Array,
  fn: (replica: Replica) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const replicas = await ctx.locator.replicas(bucket, owner, signal)
  return onNodes(ctx, replicas, fn, signal, () => ctx.locator.invalidate(bucket, owner))
}

export async function onNodes<T>(
  ctx: Context,
  replicas: readonly Replica[],
  fn: (replica: Replica) => Promise<T>,
  signal?: AbortSignal,
  onExhausted?: () => void,
): Promise<T> {
  if (replicas.length === 0) throw new AllReplicasFailedError('no storage node serves this timeline')
  const attempts = Math.max(replicas.length, ctx.retries + 1)
  const failures: { node: string; code: string; message: string }[] = []
  for (let k = 0; k < attempts; k++) {
    signal?.throwIfAborted()
    const r = replicas[k % replicas.length]!
    try {
      return await fn(r)
    } catch (err) {
      if (!isRetryable(err)) throw err
      const e = err as { code: string; message: string }
      failures.push({ node: r.url, code: e.code, message: e.message })
      if (k + 1 < attempts && k + 1 >= replicas.length)
        await sleep(ctx.backoffMs * 2 ** (k + 1 - replicas.length), signal)
      else if (k + 1 < attempts) await sleep(Math.min(ctx.backoffMs, 25), signal)
    }
  }
  onExhausted?.()
  throw new AllReplicasFailedError(`every replica failed: ${failures.map((f) => `${f.node} (${f.code})`).join(', ')}`, {
    details: { attempts: failures },
  })
}

/** A GET that signs itself when the bucket is private (see `signReads`). */
export async function readCall(
  ctx: Context,
  bucket: string,
  url: string,
  init: CallInit = {},
  capability?: readonly SignedCapability[],
): Promise<Response> {
  const base: CallInit = { timeoutMs: ctx.timeoutMs, ...init }
  const signed = async () => {
    const cap = capability ?? ctx.readCapability
    const headers = await signRequest(ctx.reader, { method: 'GET', url, ...(cap ? { capability: cap } : {}) })
    return call(url, { ...base, headers: { ...base.headers, ...headers } }, ctx.fetch)
  }
  if (ctx.signReads === 'always' || (ctx.signReads === 'auto' && ctx.privateBuckets.has(bucket))) return signed()
  try {
    return await call(url, base, ctx.fetch)
  } catch (err) {
    if (ctx.signReads === 'auto' && err instanceof UnauthorizedError && err.code === 'ERR_UNAUTHORIZED') {
      ctx.privateBuckets.add(bucket)
      return signed()
    }
    throw err
  }
}
