/** `ddc verify <bucket> [owner]` — re-checks every event (CIDs, seals, links) of one or all timelines. */
import type { VerifyReport } from '@ddc/sdk'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { EXIT, table } from '../output.js'

export const verifyCommands: Command[] = [
  {
    path: ['verify'],
    args: '<bucket> [owner]',
    summary: 'verify a timeline (or every timeline of the bucket); exits 5 and names the first failure',
    examples: ['ddc verify 1', 'ddc verify 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --json'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'verify <bucket> [owner]')
      noMore(args, 2, 'verify <bucket> [owner]')
      const client = await ctx.plainClient()
      const owners: string[] = []
      if (args[1]) owners.push(args[1])
      else for (const t of await ctx.listTimelines(bucket)) owners.push(t.owner)
      const reports: (VerifyReport & { owner: string })[] = []
      for (const owner of owners) {
        const r = await client.verifyTimeline(bucket, owner)
        reports.push({ owner, ...r })
        if (!r.ok) break
      }
      const failed = reports.find((r) => !r.ok)
      const ok = !failed
      ctx.out.print({ ok, bucket, timelines: reports }, () => {
        const t = table(
          ['owner', 'checked', 'head', 'result'],
          reports.map((r) => [
            r.owner,
            r.checked,
            r.head ? `${r.head.seq}` : '-',
            r.ok ? 'ok' : `FAILED ${r.failure?.code}`,
          ]),
        )
        return `${t}\n${ok ? `ok: ${reports.length} timeline(s), ${reports.reduce((n, r) => n + r.checked, 0)} events verified` : ''}`
      })
      if (failed) {
        const f = failed.failure
        process.stderr.write(
          `error: verification failed for ${failed.owner} at seq ${f?.seq ?? '?'}${f?.cid ? ` (${f.cid})` : ''}${f?.node ? ` on ${f.node}` : ''}: ${f?.message} (${f?.code})\n`,
        )
        return EXIT.integrity
      }
      return 0
    },
  },
]
