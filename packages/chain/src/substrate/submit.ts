/**
 * Sending one extrinsic and waiting for its finalized block. Resolves with the receipt only when the
 * block is finalized and the dispatch succeeded; rejects with the typed error that matches the node's
 * refusal (pool validation) or the dispatch failure (module error), so callers handle the same codes
 * on the dev chain and on Substrate.
 */
import { BadSignatureError, UnavailableError } from '@ddc/core'
import type { ApiPromise, SubmittableResult } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { DispatchError, EventRecord } from '@polkadot/types/interfaces'
import type { ChainEvent, TxOptions, TxReceipt } from '../chain.js'
import {
  AlreadyExistsError,
  BadNonceError,
  InsufficientBalanceError,
  NotOwnerError,
  TxFailedError,
  UnknownBucketError,
  UnknownClusterError,
  UnknownNodeError,
} from '../errors.js'
import type { SubstrateSigner } from './signer.js'

type Ctor = new (message: string, options?: { details?: Record<string, unknown> }) => Error

/** Module errors with a DDC meaning (pallet.Error); the rest become ERR_TX_FAILED. */
const MODULE_ERRORS: Record<string, Ctor> = {
  'balances.InsufficientBalance': InsufficientBalanceError,
  'balances.FundsUnavailable': InsufficientBalanceError,
  'balances.ExistentialDeposit': InsufficientBalanceError,
  'balances.Expendability': InsufficientBalanceError,
  'balances.KeepAlive': InsufficientBalanceError,
  'balances.LiquidityRestrictions': InsufficientBalanceError,
  'ddcCustomers.NotOwner': NotOwnerError,
  'ddcCustomers.NotBucketOwner': NotOwnerError,
  'ddcCustomers.NoBucketWithId': UnknownBucketError,
  'ddcCustomers.BucketDoesNotExist': UnknownBucketError,
  'ddcCustomers.InsufficientDeposit': InsufficientBalanceError,
  'ddcCustomers.ClusterDoesNotExist': UnknownClusterError,
  'ddcClusters.ClusterDoesNotExist': UnknownClusterError,
  'ddcClusters.OnlyClusterManager': NotOwnerError,
  'ddcNodes.NodeDoesNotExist': UnknownNodeError,
  'ddcNodes.NodeAlreadyExists': AlreadyExistsError,
  'ddcNodes.OnlyNodeProvider': NotOwnerError,
}

export function dispatchErrorToDdc(api: ApiPromise, err: DispatchError): Error {
  if (err.isModule) {
    const meta = api.registry.findMetaError(err.asModule)
    const name = `${meta.section}.${meta.name}`
    const C = MODULE_ERRORS[name] ?? TxFailedError
    return new C(`${name}: ${meta.docs.join(' ') || 'dispatch failed'}`, { details: { error: name } })
  }
  if (err.isToken && ['FundsUnavailable', 'BelowMinimum', 'NoFunds'].includes(err.asToken.type)) {
    return new InsufficientBalanceError(`token error ${err.asToken.type}`, {
      details: { error: `Token.${err.asToken.type}` },
    })
  }
  return new TxFailedError(`dispatch failed: ${err.toString()}`, { details: { error: err.type } })
}

/** Pool refusals (JSON-RPC 1010/1014 messages) → typed errors. */
export function rpcRefusalToDdc(err: unknown): Error {
  const message = (err as Error)?.message ?? String(err)
  if (/pay some fees|balance too low/i.test(message))
    return new InsufficientBalanceError(message, { details: { rpc: message } })
  if (/outdated|stale|priority is too low|future/i.test(message))
    return new BadNonceError(message, { details: { rpc: message } })
  if (/bad signature/i.test(message)) return new BadSignatureError(message, { details: { rpc: message } })
  if (/disconnected|not connected|websocket|timeout/i.test(message))
    return new UnavailableError(message, { cause: err })
  return new TxFailedError(message, { details: { rpc: message } })
}

export function toChainEvents(records: readonly EventRecord[]): ChainEvent[] {
  return records.map(({ event }) => {
    const names = event.data.names ?? []
    const data: Record<string, unknown> = {}
    event.data.forEach((v, i) => {
      data[names[i] ?? String(i)] = v.toJSON()
    })
    return { name: `${event.section}.${event.method}`, data }
  })
}

export interface SubmitOptions extends TxOptions {
  /** Give up waiting for finality after this long (default 120 s); the transaction may still land. */
  timeoutMs?: number
}

export function submitExtrinsic(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: SubstrateSigner,
  opts: SubmitOptions = {},
): Promise<TxReceipt & { records: EventRecord[] }> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined
    let settled = false
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      unsub?.()
      fn()
    }
    const onAbort = () => finish(() => reject(opts.signal!.reason))
    const timeoutMs = opts.timeoutMs ?? 120_000
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new UnavailableError(`transaction not finalized within ${timeoutMs} ms; it may still land`)),
        ),
      timeoutMs,
    )
    if (opts.signal?.aborted) return onAbort()
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    const onStatus = (result: SubmittableResult) => {
      const { status } = result
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        return finish(() => reject(new TxFailedError(`transaction ${status.type.toLowerCase()} by the node`)))
      }
      if (!status.isFinalized) return
      if (result.dispatchError) return finish(() => reject(dispatchErrorToDdc(api, result.dispatchError!)))
      if (result.events.some(({ event }) => event.section === 'utility' && event.method === 'BatchInterrupted')) {
        return finish(() => reject(new TxFailedError('a call in the batch failed (utility.BatchInterrupted)')))
      }
      const hash = status.asFinalized.toHex()
      const txHash = result.txHash.toHex()
      const events = result.events
      const number = result.blockNumber?.toNumber()
      const paid = events.find(
        ({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid',
      )
      const fee = paid ? BigInt(paid.event.data[1]!.toString()) : undefined
      const done = (n: number) =>
        finish(() =>
          resolve({
            txHash,
            block: { number: n, hash },
            finalized: true,
            ...(fee === undefined ? {} : { fee }),
            events: toChainEvents(events),
            records: [...events],
          }),
        )
      if (number !== undefined) return done(number)
      api.rpc.chain.getHeader(hash).then(
        (h) => done(h.number.toNumber()),
        (err) => finish(() => reject(rpcRefusalToDdc(err))),
      )
    }
    const options = { nonce: -1, tip: opts.tip ?? 0n }
    const sending =
      'signer' in signer
        ? tx.signAndSend(signer.address, { ...options, signer: signer.signer }, onStatus)
        : tx.signAndSend(signer, options, onStatus)
    sending.then(
      (u) => {
        unsub = u
        if (settled) u()
      },
      (err) => finish(() => reject(rpcRefusalToDdc(err))),
    )
  })
}
