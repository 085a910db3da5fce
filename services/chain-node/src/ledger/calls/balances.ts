/** Balance transfers and the DDC deposit (held balance that pays a bucket owner's data-operation fees). */
import { InsufficientBalanceError } from '@ddc/chain'
import { account, amount, fields } from '../args.js'
import { readAccount, writeAccount } from '../model.js'
import { addressOf, defineCall, moveFree } from './context.js'

export const transfer = defineCall({
  parse: (a) => {
    fields(a, ['to', 'amount'])
    return { to: account(a.to, 'to'), amount: amount(a.amount, 'amount') }
  },
  apply(ctx, { to, amount }) {
    moveFree(ctx, ctx.sender, to, amount)
    ctx.emit('balances.Transfer', {
      from: addressOf(ctx, ctx.sender),
      to: addressOf(ctx, to),
      amount: amount.toString(),
    })
  },
})

export const depositAdd = defineCall({
  parse: (a) => {
    fields(a, ['amount'])
    return { amount: amount(a.amount, 'amount') }
  },
  apply(ctx, { amount }) {
    const a = readAccount(ctx.state, ctx.sender)
    if (a.free < amount) throw new InsufficientBalanceError(`deposit of ${amount} exceeds the free ${a.free}`)
    writeAccount(ctx.state, ctx.sender, { ...a, free: a.free - amount, reserved: a.reserved + amount })
    ctx.emit('deposits.Added', { who: addressOf(ctx, ctx.sender), amount: amount.toString() })
  },
})

export const depositWithdraw = defineCall({
  parse: (a) => {
    fields(a, ['amount'])
    return { amount: amount(a.amount, 'amount') }
  },
  apply(ctx, { amount }) {
    const a = readAccount(ctx.state, ctx.sender)
    if (a.reserved < amount)
      throw new InsufficientBalanceError(`withdrawal of ${amount} exceeds the deposit ${a.reserved}`)
    writeAccount(ctx.state, ctx.sender, { ...a, free: a.free + amount, reserved: a.reserved - amount })
    ctx.emit('deposits.Withdrawn', { who: addressOf(ctx, ctx.sender), amount: amount.toString() })
  },
})
