/**
 * What the SDK does on chain (DESIGN.md "Chain" and "Events that also go on chain"): buckets (create,
 * settings, visibility), the account's DDC deposit that pays data-operation fees, and events that must
 * be on chain and in DDC at once. Those are appended first (so the event is signed and its CID known),
 * then one remark carries the CID — with a transfer in the same atomic batch for a payment. Needs
 * `createClient({ chain })`: a `Chain` that signs as the client's account.
 */
import type { Account, Bucket, BucketSettings, BucketUpdate, Chain, RemarkRecord, TxReceipt } from '@ddc/chain'
import { type AppendOptions, appendBatch } from './append.js'
import type { Context } from './context.js'
import { NotConfiguredError } from './errors.js'
import type { AppendedEvent, EventInput } from './hooks.js'

export interface CreateBucketInit {
  isPublic?: boolean
  settings?: BucketSettings
  /** Default: the first cluster on the chain. */
  clusterId?: string
  signal?: AbortSignal
}

export interface OnChainOptions extends AppendOptions {
  /** A payment carried with the remark: both land, or neither does. */
  transfer?: { to: string | Uint8Array; amount: bigint }
}

export interface OnChainEvent {
  event: AppendedEvent
  /** The chain's record of the remark: block, transaction, sender, transfer. */
  remark: RemarkRecord
}

export function needChain(ctx: Context): Chain {
  if (!ctx.chain) throw new NotConfiguredError('this needs a chain: createClient({ chain }) with a Chain that signs')
  return ctx.chain
}

export async function createBucket(ctx: Context, init: CreateBucketInit = {}): Promise<Bucket> {
  const chain = needChain(ctx)
  const opts = init.signal ? { signal: init.signal } : {}
  let clusterId = init.clusterId
  if (!clusterId) {
    const [first] = await chain.listClusters(init.signal)
    if (!first) throw new NotConfiguredError('the chain has no cluster: pass clusterId')
    clusterId = first.id
  }
  const { bucket } = await chain.createBucket(
    {
      clusterId,
      ...(init.isPublic !== undefined ? { isPublic: init.isPublic } : {}),
      ...(init.settings ? { settings: init.settings } : {}),
    },
    opts,
  )
  return bucket
}

export async function updateBucket(
  ctx: Context,
  id: string,
  update: BucketUpdate,
  signal?: AbortSignal,
): Promise<Bucket> {
  return (await needChain(ctx).updateBucket(id, update, signal ? { signal } : {})).bucket
}

export async function deposit(ctx: Context, amount: bigint, signal?: AbortSignal): Promise<TxReceipt> {
  return needChain(ctx).deposit(amount, signal ? { signal } : {})
}

export async function account(ctx: Context, signal?: AbortSignal): Promise<Account> {
  return needChain(ctx).getAccount(ctx.signer.accountId, signal)
}

/** Appends one event, then submits a remark carrying its CID (and the transfer, if any). */
export async function appendOnChain(
  ctx: Context,
  bucket: string,
  input: EventInput,
  opts: OnChainOptions = {},
): Promise<OnChainEvent> {
  const chain = needChain(ctx)
  const { transfer, ...appendOpts } = opts
  const [event] = await appendBatch(ctx, bucket, [input], appendOpts)
  if (!event) throw new NotConfiguredError('a beforeEncrypt hook dropped the event: nothing to put on chain')
  const remark = await chain.submitRemark(event.cid, {
    ...(transfer ? { transfer } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  })
  if (!remark.cid.equals(event.cid) || (transfer && !remark.transfer))
    throw new NotConfiguredError(`the chain recorded another remark than the one submitted for ${event.cid}`)
  return { event, remark }
}
