/**
 * What a call handler sees: the state (inside the transaction's journal), the chain parameters, the
 * sender, where the transaction will land, and a way to emit events. Handlers throw typed errors to
 * refuse; the journal then drops every change the transaction made, fee and nonce included.
 */

import { InsufficientBalanceError } from '@ddc/chain'
import { toAddress } from '@ddc/core'
import type { Args } from '../args.js'
import { type ChainParams, readAccount, writeAccount } from '../model.js'
import type { StateStore } from '../state.js'

export interface CallContext {
  state: StateStore
  params: ChainParams
  sender: Uint8Array
  txHash: string
  /** Number of the block this transaction goes into. */
  block: number
  emit(name: string, data: Record<string, unknown>): void
}

export interface CallHandler<A> {
  parse(args: Args): A
  apply(ctx: CallContext, args: A): void
}

export const defineCall = <A>(h: CallHandler<A>): CallHandler<A> => h

/** SS58 with the chain's prefix, as events carry accounts. */
export const addressOf = (ctx: CallContext, id: Uint8Array): string => toAddress(id, ctx.params.ss58Prefix)

export function moveFree(ctx: CallContext, from: Uint8Array, to: Uint8Array, amount: bigint): void {
  const a = readAccount(ctx.state, from)
  if (a.free < amount) {
    throw new InsufficientBalanceError(`${addressOf(ctx, from)} has ${a.free} free, needs ${amount}`, {
      details: { free: a.free.toString(), needed: amount.toString() },
    })
  }
  writeAccount(ctx.state, from, { ...a, free: a.free - amount })
  const b = readAccount(ctx.state, to)
  writeAccount(ctx.state, to, { ...b, free: b.free + amount })
}
