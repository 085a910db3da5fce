/** `ddc timeline ls|cat|tail|head|follow` — traversal and reads (verified, decrypted with the keystore keys). */
import type { EventsQuery, ReadEvent, TimelineInfo } from '@ddc/sdk'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { type Ctx, parseInt10 } from '../context.js'
import { eventTable, eventView } from '../events-view.js'
import { CliError, table } from '../output.js'

async function owner(ctx: Ctx, args: string[]): Promise<string> {
  return args[1] ?? (await ctx.signer()).address
}

function parseTime(s: string | undefined, flag: string): number | undefined {
  if (s === undefined) return undefined
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s)
  if (Number.isNaN(n))
    throw new CliError(`${flag} must be a date (2025-01-31T12:00Z) or ms since the epoch`, 'ERR_INVALID_INPUT')
  return n
}

export const timelineCommands: Command[] = [
  {
    path: ['timeline', 'ls'],
    args: '<bucket>',
    summary: 'list every timeline of a bucket (owner, length, head)',
    examples: ['ddc timeline ls 1', 'ddc timeline ls 1 --json'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'timeline ls <bucket>')
      noMore(args, 1, 'timeline ls <bucket>')
      const out: TimelineInfo[] = await ctx.listTimelines(bucket)
      ctx.out.print(out, () =>
        out.length
          ? table(
              ['owner', 'length', 'head seq', 'head cid'],
              out.map((t) => [t.owner, t.length, t.head?.seq ?? '-', t.head?.cid ?? '-']),
            )
          : `bucket ${bucket} has no timelines yet`,
      )
      return 0
    },
  },
  {
    path: ['timeline', 'cat'],
    args: '<bucket> [owner]',
    summary: "print a timeline's events (default: --account's own), verified and decrypted",
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string', short: 't' },
      since: { type: 'string' },
      until: { type: 'string' },
      reverse: { type: 'boolean', short: 'r' },
      limit: { type: 'string', short: 'n' },
    },
    optionHelp: [
      '--from <seq> --to <seq>    seq range (inclusive)',
      '-t, --type <type>          only events of this type',
      '--since <date> --until <date>  client timestamps (ISO date or ms)',
      '-r, --reverse              newest first',
      '-n, --limit <n>            at most n events',
    ],
    examples: [
      'ddc timeline cat 1',
      'ddc timeline cat 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --type page_view --reverse --limit 5',
      'ddc timeline cat 1 --from 10 --to 20 --json',
    ],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'timeline cat <bucket> [owner]')
      noMore(args, 2, 'timeline cat <bucket> [owner]')
      const who = await owner(ctx, args)
      const q: EventsQuery = {}
      const from = parseInt10(ctx.str('from'), '--from')
      const to = parseInt10(ctx.str('to'), '--to')
      const limit = parseInt10(ctx.str('limit'), '--limit')
      const since = parseTime(ctx.str('since'), '--since')
      const until = parseTime(ctx.str('until'), '--until')
      if (from !== undefined) q.from = from
      if (to !== undefined) q.to = to
      if (limit !== undefined) q.limit = limit
      if (since !== undefined) q.since = since
      if (until !== undefined) q.until = until
      if (ctx.str('type')) q.type = ctx.str('type') as string
      if (ctx.values.reverse) q.reverse = true
      const client = await ctx.client()
      if (!ctx.out.json) {
        // Stream for humans: print as pages arrive.
        let n = 0
        let page: ReadEvent[] = []
        for await (const e of client.events(bucket, who, q)) {
          page.push(e)
          if (page.length === 100) {
            process.stdout.write(
              `${eventTable(page)
                .split('\n')
                .slice(n ? 1 : 0)
                .join('\n')}\n`,
            )
            n += page.length
            page = []
          }
        }
        if (page.length || !n)
          process.stdout.write(
            `${eventTable(page)
              .split('\n')
              .slice(n ? 1 : 0)
              .join('\n')}\n`,
          )
        return 0
      }
      const out = []
      for await (const e of client.events(bucket, who, q)) out.push(eventView(e))
      ctx.out.print(out, () => '')
      return 0
    },
  },
  {
    path: ['timeline', 'tail'],
    args: '<bucket> [owner]',
    summary: 'the last n events of a timeline (default 10)',
    options: { n: { type: 'string', short: 'n', default: '10' } },
    optionHelp: ['-n <count>   how many (default 10)'],
    examples: [
      'ddc timeline tail 1 -n 3',
      'ddc timeline tail 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --json',
    ],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'timeline tail <bucket> [owner]')
      noMore(args, 2, 'timeline tail <bucket> [owner]')
      const n = parseInt10(ctx.str('n'), '-n') ?? 10
      const client = await ctx.client()
      const es = await client.tail(bucket, await owner(ctx, args), n)
      ctx.out.print(es.map(eventView), () => eventTable(es))
      return 0
    },
  },
  {
    path: ['timeline', 'follow'],
    args: '<bucket> [owner]',
    summary: 'print events as they are appended (until Ctrl-C or --count), verified and decrypted',
    options: {
      from: { type: 'string' },
      count: { type: 'string', short: 'n' },
      interval: { type: 'string', default: '500' },
    },
    optionHelp: [
      '--from <seq>        start there (default: after the current head, i.e. only new events)',
      '-n, --count <n>     stop after n events',
      '--interval <ms>     poll interval while nothing is new (default 500)',
    ],
    examples: [
      'ddc timeline follow 1',
      'ddc timeline follow 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --from 0 -n 10 --json',
    ],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'timeline follow <bucket> [owner]')
      noMore(args, 2, 'timeline follow <bucket> [owner]')
      const from = parseInt10(ctx.str('from'), '--from')
      const count = parseInt10(ctx.str('count'), '--count')
      const intervalMs = parseInt10(ctx.str('interval'), '--interval') ?? 500
      const client = await ctx.client()
      const ac = new AbortController()
      const stop = () => ac.abort()
      process.once('SIGINT', stop)
      let n = 0
      try {
        const opts = { intervalMs, signal: ac.signal, ...(from !== undefined ? { from } : {}) }
        for await (const e of client.follow(bucket, await owner(ctx, args), opts)) {
          // One line per event: JSON lines with --json, table rows otherwise.
          process.stdout.write(
            ctx.out.json
              ? `${JSON.stringify(eventView(e))}\n`
              : `${eventTable([e])
                  .split('\n')
                  .slice(n ? 1 : 0)
                  .join('\n')}\n`,
          )
          if (++n === count) break
        }
      } catch (err) {
        if (!ac.signal.aborted) throw err
      } finally {
        process.off('SIGINT', stop)
      }
      return 0
    },
  },
  {
    path: ['timeline', 'head'],
    args: '<bucket> [owner]',
    summary: "a timeline's head: last seq, its CID, length",
    examples: ['ddc timeline head 1', 'ddc timeline head 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --json'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'timeline head <bucket> [owner]')
      noMore(args, 2, 'timeline head <bucket> [owner]')
      const who = await owner(ctx, args)
      const client = await ctx.plainClient()
      const h = await client.head(bucket, who)
      const view = h
        ? { owner: who, seq: h.seq, cid: h.cid.toString(), length: h.length }
        : { owner: who, seq: null, cid: null, length: 0 }
      ctx.out.print(view, () =>
        h ? `seq ${h.seq}  ${h.cid}  (${h.length} events)` : `timeline of ${who} in bucket ${bucket} is empty`,
      )
      return 0
    },
  },
]
