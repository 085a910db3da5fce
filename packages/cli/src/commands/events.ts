/** `ddc events put|get` and `ddc delete` — writing, reading one event, erasing. */
import { readFileSync } from 'node:fs'
import type { EventInput } from '@ddc/sdk'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { type Ctx, parseAmount, parseInt10, parseJson } from '../context.js'
import { eventTable, eventView } from '../events-view.js'
import { core } from '../lazy.js'
import { CliError, table } from '../output.js'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** One input line/value → an event: `{type, data, id?, ts?}` as is, any other object is `data` of --type. */
function toEvent(v: unknown, type: string | undefined, where: string): EventInput {
  if (!isObject(v)) throw new CliError(`${where}: an event must be a JSON object`, 'ERR_INVALID_INPUT')
  if (typeof v.type === 'string' && isObject(v.data)) {
    const e: EventInput = { type: v.type, data: v.data }
    if (typeof v.id === 'string') e.id = v.id
    if (typeof v.ts === 'number') e.ts = v.ts
    return e
  }
  if (!type)
    throw new CliError(
      `${where}: no event type`,
      'ERR_INVALID_INPUT',
      'pass --type, or write each line as {"type":"…","data":{…}}',
    )
  return { type, data: v }
}

function readEvents(ctx: Ctx): EventInput[] {
  const type = ctx.str('type')
  const file = ctx.str('file')
  const data = ctx.str('data')
  if (file && data) throw new CliError('pass either --data or --file, not both')
  if (data !== undefined) return [toEvent(parseJson(data, '--data'), type, '--data')]
  if (!file) throw new CliError('nothing to put', 'ERR_USAGE', "pass --data '{json}' or --file events.jsonl")
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
  const out: EventInput[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    out.push(toEvent(parseJson(line, `${file}:${i + 1}`), type, `${file}:${i + 1}`))
  })
  if (out.length === 0) throw new CliError(`${file} holds no events`, 'ERR_INVALID_INPUT')
  return out
}

/** `<address>:<amount>` → a transfer. */
function parseTransfer(s: string): { to: string; amount: bigint } {
  const m = /^([1-9A-HJ-NP-Za-km-z]{40,60}):(\d+)$/.exec(s)
  if (!m) throw new CliError('--transfer must be <address>:<amount>', 'ERR_INVALID_INPUT')
  return { to: m[1] as string, amount: parseAmount(m[2] as string, '--transfer amount') }
}

/** Each event appended, then its CID in a remark (with the transfer, for one event). */
async function putOnChain(ctx: Ctx, bucket: string, events: EventInput[]): Promise<number> {
  const t = ctx.str('transfer')
  const transfer = t === undefined ? undefined : parseTransfer(t)
  if (transfer && events.length !== 1) throw new CliError('--transfer goes with exactly one event', 'ERR_USAGE')
  const chain = await ctx.chain(true)
  try {
    const client = ctx.encrypts(bucket) ? await ctx.client({ chain }) : await ctx.plainClient({ chain })
    const stored: { seq: number; cid: string; block: number; transfer?: string }[] = []
    for (const e of events) {
      const { event, remark } = await client.appendOnChain(bucket, e, transfer ? { transfer } : {})
      stored.push({
        seq: event.seq,
        cid: event.cid.toString(),
        block: remark.block.number,
        ...(remark.transfer ? { transfer: remark.transfer.amount.toString() } : {}),
      })
    }
    ctx.out.print({ bucket, owner: client.address, count: stored.length, events: stored }, () =>
      stored.map((e) => `stored seq ${e.seq} ${e.cid}, on chain in block ${e.block}`).join('\n'),
    )
  } finally {
    await chain.close()
  }
  return 0
}

export const eventCommands: Command[] = [
  {
    path: ['events', 'put'],
    args: '<bucket>',
    summary: "append events to --account's timeline (one event with --data, many from a JSONL --file)",
    details:
      'Each JSONL line is either {"type","data","id"?,"ts"?} or a bare data object (then --type names its type).\nEvents go out in batches of --batch (one signature and one request per batch). With a master key for the\nbucket in the keystore (`ddc keys master`), fields are sealed with the scope map; otherwise stored in the clear.',
    options: {
      type: { type: 'string', short: 't' },
      data: { type: 'string', short: 'd' },
      file: { type: 'string', short: 'f' },
      batch: { type: 'string', default: '100' },
      'on-chain': { type: 'boolean' },
      transfer: { type: 'string' },
    },
    optionHelp: [
      '-t, --type <type>     event type (for --data and bare JSONL lines)',
      "-d, --data '<json>'   one event's data",
      '-f, --file <file>     JSONL file of events (- for stdin)',
      '--batch <n>           events per batch (default 100, at most 1000)',
      "--on-chain            also put each event's CID on chain (a remark; one transaction per event)",
      '--transfer <address>:<amount>  with --on-chain and one event: a payment in the same atomic batch',
    ],
    examples: [
      `ddc events put 1 --type page_view --data '{"page":"/pricing","email":"bob@example.com"}'`,
      'ddc events put 1 --file events.jsonl --batch 100 --json',
      `ddc events put 2 --type nft.purchase --data '{"token":"n1","price":5}' --on-chain --transfer 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty:5`,
    ],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'events put <bucket>')
      noMore(args, 1, 'events put <bucket>')
      const batch = parseInt10(ctx.str('batch'), '--batch') ?? 100
      if (batch < 1 || batch > 1000) throw new CliError('--batch must be between 1 and 1000', 'ERR_INVALID_INPUT')
      const events = readEvents(ctx)
      if (ctx.values['on-chain']) return putOnChain(ctx, bucket, events)
      if (ctx.str('transfer')) throw new CliError('--transfer needs --on-chain', 'ERR_USAGE')
      const client = ctx.encrypts(bucket) ? await ctx.client() : await ctx.plainClient()
      const tty = process.stderr.isTTY
      const stored: { seq: number; cid: string; id: string; type: string }[] = []
      const batches: number[] = []
      for (let i = 0; i < events.length; i += batch) {
        const slice = events.slice(i, i + batch)
        const res = await client.appendMany(bucket, slice)
        batches.push(res.length)
        for (const r of res) stored.push({ seq: r.seq, cid: r.cid.toString(), id: r.id, type: r.type })
        if (tty) process.stderr.write(`\rput ${stored.length}/${events.length} events (${batches.length} batches)`)
      }
      if (tty) process.stderr.write('\n')
      ctx.out.print({ bucket, owner: client.address, count: stored.length, batches, events: stored }, () =>
        stored.length === 1
          ? `stored seq ${stored[0]?.seq} ${stored[0]?.cid}`
          : `${table(
              ['seq', 'type', 'cid'],
              stored.map((e) => [e.seq, e.type, e.cid]),
            )}\nstored ${stored.length} events in ${batches.length} batches`,
      )
      return 0
    },
  },
  {
    path: ['events', 'get'],
    args: '<cid>',
    summary: 'read one event by CID (verified, decrypted with the keystore keys)',
    options: { bucket: { type: 'string' }, owner: { type: 'string' } },
    optionHelp: [
      "--bucket <id>      where to look (with --owner: asks only that timeline's replicas)",
      '--owner <address>  timeline owner',
    ],
    examples: ['ddc events get bafyrei… --bucket 1 --owner 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'],
    async run(ctx, args) {
      const cid = need(args, 0, 'cid', 'events get <cid>')
      noMore(args, 1, 'events get <cid>')
      const client = await ctx.client()
      const { toAccountId } = await core()
      const bucket = ctx.str('bucket')
      const owner = ctx.str('owner')
      const e = await client.get(cid, {
        ...(bucket ? { bucket } : {}),
        ...(owner ? { owner: toAccountId(owner) } : {}),
      })
      ctx.out.print(eventView(e), () => eventTable([e]))
      return 0
    },
  },
  {
    path: ['delete'],
    args: '<bucket> <cid...> | --all',
    summary: "erase events of --account's timeline (appends a tombstone; bodies are deleted, envelopes stay)",
    options: { all: { type: 'boolean' } },
    optionHelp: ['--all   erase every earlier event of the timeline'],
    examples: ['ddc delete 1 bafyreia… bafyreib…', 'ddc delete 1 --all'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'delete <bucket> <cid...>|--all')
      const cids = args.slice(1)
      const all = ctx.values.all === true
      if (all === cids.length > 0) throw new CliError('name the CIDs to erase, or pass --all (not both)', 'ERR_USAGE')
      const client = await ctx.plainClient()
      const t = await client.erase(bucket, all ? 'all' : cids)
      ctx.out.print(
        { bucket, tombstone: { seq: t.seq, cid: t.cid.toString() }, erased: all ? 'all' : cids },
        () => `tombstone seq ${t.seq} ${t.cid} erases ${all ? 'every earlier event' : `${cids.length} event(s)`}`,
      )
      return 0
    },
  },
]
