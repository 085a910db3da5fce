/** `ddc export car <bucket> <owner> -o file.car` — a whole timeline as a CAR file, from a replica. */
import { createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { core, sdk } from '../lazy.js'
import { CliError } from '../output.js'

export const exportCommands: Command[] = [
  {
    path: ['export', 'car'],
    args: '<bucket> <owner>',
    summary: 'download a whole timeline (envelopes, bodies, seals) as a CAR file',
    details:
      "Asks the timeline's replicas in turn (GET /buckets/{bucket}/timelines/{owner}/car); private buckets\nare read with a request signed by --account.",
    options: { out: { type: 'string', short: 'o' } },
    optionHelp: ['-o, --out <file>   where to write (default <bucket>-<owner>.car)'],
    examples: ['ddc export car 1 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY -o alice.car'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'export car <bucket> <owner>')
      const ownerArg = need(args, 1, 'owner', 'export car <bucket> <owner>')
      noMore(args, 2, 'export car <bucket> <owner>')
      const [{ errorFromJson, signRequest, toAccountId, toAddress }, { Locator }] = await Promise.all([core(), sdk()])
      const owner = toAccountId(ownerArg)
      const file = ctx.str('out') ?? `${bucket}-${toAddress(owner)}.car`
      const replicas = await new Locator(ctx.placement()).replicas(bucket, owner)
      let last: unknown = new CliError('no replica holds this timeline', 'ERR_NOT_FOUND')
      for (const r of replicas) {
        const url = `${r.url}/buckets/${encodeURIComponent(bucket)}/timelines/${toAddress(owner)}/car`
        try {
          let res = await fetch(url, { signal: AbortSignal.timeout(60_000) })
          if (res.status === 401) {
            const headers = await signRequest(await ctx.signer(), { method: 'GET', url })
            res = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) })
          }
          if (!res.ok || !res.body) {
            const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null
            last = body?.code
              ? errorFromJson(body as { code: string; message: string })
              : new CliError(`${url}: HTTP ${res.status}`, 'ERR_UNAVAILABLE')
            if (res.status < 500 && res.status !== 404) break
            continue
          }
          await pipeline(
            Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
            createWriteStream(file),
          )
          const { size } = await import('node:fs').then((fs) => fs.statSync(file))
          ctx.out.print({ file, bytes: size, node: r.url }, () => `wrote ${file} (${size} bytes) from ${r.url}`)
          return 0
        } catch (err) {
          last = err
        }
      }
      throw last
    },
  },
]
