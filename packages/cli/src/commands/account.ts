/** `ddc account show|deposit` — balances on the chain and the DDC deposit that pays data-operation fees. */
import type { Account } from '@ddc/chain'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { type Ctx, parseAmount } from '../context.js'
import { table } from '../output.js'

const view = (a: Account) => ({
  address: a.address,
  free: a.free.toString(),
  reserved: a.reserved.toString(),
  deposit: a.deposit.toString(),
  nonce: a.nonce,
})

async function show(ctx: Ctx, who: string): Promise<ReturnType<typeof view>> {
  const chain = await ctx.chain(false)
  try {
    return view(await chain.getAccount(who))
  } finally {
    await chain.close()
  }
}

const print = (ctx: Ctx, v: ReturnType<typeof view>, extra: Record<string, unknown> = {}) =>
  ctx.out.print({ ...v, ...extra }, () =>
    table(
      ['field', 'value'],
      Object.entries(v).map(([k, x]) => [k, String(x)]),
    ),
  )

export const accountCommands: Command[] = [
  {
    path: ['account', 'show'],
    args: '[address]',
    summary: "an account's balance, reserved funds, DDC deposit and nonce (default: --account's)",
    examples: ['ddc account show --json', 'ddc account show 5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y'],
    async run(ctx, args) {
      noMore(args, 1, 'account show [address]')
      print(ctx, await show(ctx, args[0] ?? (await ctx.signer()).address))
      return 0
    },
  },
  {
    path: ['account', 'deposit'],
    args: '<amount>',
    summary: "add to --account's DDC deposit (pays the data-operation fees of its buckets)",
    examples: ['ddc account deposit 1000 --json'],
    async run(ctx, args) {
      const amount = parseAmount(need(args, 0, 'amount', 'account deposit <amount>'), '<amount>')
      noMore(args, 1, 'account deposit <amount>')
      const signer = await ctx.signer()
      const chain = await ctx.chain(true)
      let block: number
      try {
        block = (await chain.deposit(amount)).block.number
      } finally {
        await chain.close()
      }
      print(ctx, await show(ctx, signer.address), { added: amount.toString(), block })
      return 0
    },
  },
]
