/**
 * `ddc verify <bucket> [owner]` — re-checks every event (CIDs, seals, links) of one or all timelines
 * and, when a chain is configured, that they are covered by anchors in finalized blocks.
 */
import type { Chain } from '@ddc/chain'
import type { VerifyOptions, VerifyReport } from '@ddc/sdk'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import type { Ctx } from '../context.js'
import { CliError, EXIT, table } from '../output.js'

/** The chain to check anchors on: the configured one, none with --no-anchors or when none is configured. */
async function anchorChain(ctx: Ctx, require: boolean): Promise<Chain | undefined> {
  if (ctx.values['no-anchors'] === true) {
    if (require) throw new CliError('--require-anchored needs the anchors checked', 'ERR_USAGE')
    return undefined
  }
  try {
    return await ctx.chain(false)
  } catch (err) {
    if (require || (err as { code?: string }).code !== 'ERR_NOT_CONFIGURED') throw err
    return undefined
  }
}

const anchorCell = (r: VerifyReport) => {
  if (r.anchor === undefined) return 'not checked'
  if (r.anchor === null) return 'none yet'
  return `≤ ${r.anchor.head.seq} in block #${r.anchor.block.number}`
}

export const verifyCommands: Command[] = [
  {
    path: ['verify'],
    args: '<bucket> [owner]',
    summary: 'verify a timeline (or every timeline of the bucket) and its anchors; exits 5 naming the first failure',
    details:
      'Checks every event: canonical bytes, CID, signature of an entitled signer, links and head. With a chain\n' +
      "(--chain, DDC_CHAIN or the devnet's), also the timeline's latest anchor: a Merkle proof from the node to a\n" +
      'root the chain holds in a finalized block, whose head is the event the walk met at that seq. Events newer\n' +
      'than the last anchor are listed as not yet anchored (a failure with --require-anchored).',
    options: { 'require-anchored': { type: 'boolean' }, 'no-anchors': { type: 'boolean' } },
    optionHelp: [
      '--require-anchored   fail unless every event is covered by an anchor in a finalized block',
      '--no-anchors         check signatures and links only, not the chain',
    ],
    examples: ['ddc verify 1', 'ddc verify 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --json'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'verify <bucket> [owner]')
      noMore(args, 2, 'verify <bucket> [owner]')
      const requireAnchored = ctx.values['require-anchored'] === true
      const chain = await anchorChain(ctx, requireAnchored)
      const options: VerifyOptions = { ...(chain ? { chain } : {}), requireAnchored }
      const client = await ctx.plainClient()
      const owners: string[] = []
      if (args[1]) owners.push(args[1])
      else for (const t of await ctx.listTimelines(bucket)) owners.push(t.owner)
      const reports: (VerifyReport & { owner: string })[] = []
      try {
        for (const owner of owners) {
          const r = await client.verifyTimeline(bucket, owner, options)
          reports.push({ owner, ...r })
          if (!r.ok) break
        }
      } finally {
        await chain?.close()
      }
      const failed = reports.find((r) => !r.ok)
      const ok = !failed
      ctx.out.print({ ok, bucket, anchorsChecked: chain !== undefined, timelines: reports }, () => {
        const t = table(
          ['owner', 'checked', 'head', 'anchored', 'not yet anchored', 'result'],
          reports.map((r) => [
            r.owner,
            r.checked,
            r.head ? `${r.head.seq}` : '-',
            anchorCell(r),
            r.unanchored ? `${r.unanchored.count}` : '-',
            r.ok ? 'ok' : `FAILED ${r.failure?.code}`,
          ]),
        )
        const events = reports.reduce((n, r) => n + r.checked, 0)
        const pending = reports.reduce((n, r) => n + (r.unanchored?.count ?? 0), 0)
        const anchors = chain
          ? `; ${events - pending} covered by anchors in finalized blocks, ${pending} not yet anchored`
          : ' (anchors not checked: no chain configured)'
        return `${t}\n${ok ? `ok: ${reports.length} timeline(s), ${events} events verified${anchors}` : ''}`
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
