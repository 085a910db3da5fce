/**
 * Records that prove something existed by a block: anchors (Merkle roots over timeline heads, DESIGN.md
 * "Anchoring") and CID remarks (events that also go on chain), the latter optionally with a balance
 * transfer that lands atomically with it.
 */

import { AlreadyExistsError } from '@ddc/chain'
import { InvalidInputError } from '@ddc/core'
import * as p from '../args.js'
import { type AnchorState, key, type RemarkState } from '../model.js'
import { addressOf, defineCall, moveFree } from './context.js'

export const anchorSubmit = defineCall({
  parse: (a) => {
    p.fields(a, ['root', 'count'], ['period'])
    const count = p.nat(a.count, 'count')
    if (count < 1) throw new InvalidInputError('count must be at least 1')
    const out: { root: ReturnType<typeof p.cid>; count: number; period?: number } = {
      root: p.cid(a.root, 'root'),
      count,
    }
    if ('period' in a) out.period = p.nat(a.period, 'period')
    return out
  },
  apply(ctx, a) {
    const existing = ctx.state.get<AnchorState>(key.anchor(a.root))
    if (existing) {
      throw new AlreadyExistsError(`root ${a.root} is already anchored`, {
        details: { txHash: existing.tx, block: existing.block },
      })
    }
    const anchor: AnchorState = { ...a, submitter: ctx.sender, tx: ctx.txHash, block: ctx.block }
    ctx.state.put(key.anchor(a.root), anchor)
    const data: Record<string, unknown> = {
      root: a.root.toString(),
      count: a.count,
      submitter: addressOf(ctx, ctx.sender),
    }
    if (a.period !== undefined) data.period = a.period
    ctx.emit('anchors.Submitted', data)
  },
})

export const remarkSubmit = defineCall({
  parse: (a) => {
    p.fields(a, ['cid'], ['transfer'])
    const out: { cid: ReturnType<typeof p.cid>; transfer?: { to: Uint8Array; amount: bigint } } = {
      cid: p.cid(a.cid, 'cid'),
    }
    if ('transfer' in a) {
      const t = a.transfer as Record<string, unknown>
      if (!t || typeof t !== 'object') throw new InvalidInputError('transfer must be {to, amount}')
      p.fields(t, ['to', 'amount'])
      out.transfer = { to: p.account(t.to, 'transfer.to'), amount: p.amount(t.amount, 'transfer.amount') }
    }
    return out
  },
  apply(ctx, a) {
    const existing = ctx.state.get<RemarkState>(key.remark(a.cid))
    if (existing) {
      throw new AlreadyExistsError(`CID ${a.cid} is already on chain`, {
        details: { txHash: existing.tx, block: existing.block },
      })
    }
    const data: Record<string, unknown> = { cid: a.cid.toString(), sender: addressOf(ctx, ctx.sender) }
    if (a.transfer) {
      // Same journal as the remark: if the transfer cannot be paid, the remark is refused too.
      moveFree(ctx, ctx.sender, a.transfer.to, a.transfer.amount)
      const t = { from: data.sender, to: addressOf(ctx, a.transfer.to), amount: a.transfer.amount.toString() }
      ctx.emit('balances.Transfer', t)
      data.transfer = t
    }
    ctx.state.put(key.remark(a.cid), { ...a, sender: ctx.sender, tx: ctx.txHash, block: ctx.block })
    ctx.emit('remarks.Stored', data)
  },
})
