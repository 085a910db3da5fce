/** `ddc share`, `ddc grants open|list|revoke` — handing a scope key to another account, receiving one, and the records kept in DDC. */
import { readFileSync } from 'node:fs'
import type { WireSigned } from '@ddc/sdk'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { parseDuration, parseInt10, parseJson } from '../context.js'
import { core, crypto, sdk } from '../lazy.js'
import { CliError, table } from '../output.js'

export const shareCommands: Command[] = [
  {
    path: ['share'],
    args: '<bucket>',
    summary: 'grant a scope key to another account; prints the signed grant (JSON) to hand over',
    details:
      "Needs the bucket's master key in the keystore (`ddc keys master`) and the grantee's announced key\n(`ddc keys announce` run by the grantee). Without --owner the grant covers the scope of every user of the\nbucket; with --owner <address> (or --owner me) only that timeline.",
    options: {
      scope: { type: 'string', short: 's' },
      to: { type: 'string' },
      owner: { type: 'string' },
      expires: { type: 'string', default: '7d' },
      epoch: { type: 'string' },
      out: { type: 'string', short: 'o' },
      record: { type: 'boolean' },
    },
    optionHelp: [
      '-s, --scope <scope>     which scope (e.g. data, profile)',
      '--to <address>          the grantee',
      '--owner <address>|me    one timeline only (default: the whole bucket)',
      '--expires <duration>    grant lifetime: 30m, 12h, 7d (default 7d)',
      '--epoch <n>             key epoch (default 0)',
      '-o, --out <file>        write the grant there instead of stdout',
      "--record                also keep it in DDC, on --account's timeline (`ddc grants list`, `ddc grants revoke`)",
    ],
    examples: [
      'ddc share 1 --scope data --to 5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y --expires 7d > grant.json',
      'ddc share 1 --scope data --to 5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y --owner me -o grant.json',
    ],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'share <bucket> --scope s --to <address>')
      noMore(args, 1, 'share <bucket>')
      const scope = ctx.str('scope')
      const to = ctx.str('to')
      if (!scope || !to) throw new CliError('share needs --scope and --to', 'ERR_USAGE', 'see `ddc share --help`')
      const client = await ctx.client()
      const ownerArg = ctx.str('owner')
      const owner = ownerArg === 'me' ? client.address : ownerArg
      const grant = await client.share({
        bucket,
        scope,
        grantee: to,
        exp: Date.now() + parseDuration(ctx.str('expires') ?? '7d'),
        ...(owner ? { owner } : {}),
        ...(ctx.str('epoch') ? { epoch: parseInt10(ctx.str('epoch'), '--epoch') as number } : {}),
        ...(ctx.values.record ? { record: true } : {}),
      })
      const wire = (await sdk()).toWire(grant)
      const text = `${JSON.stringify(wire, null, 2)}\n`
      const file = ctx.str('out')
      if (file) {
        const { writeFileSync } = await import('node:fs')
        writeFileSync(file, text, { mode: 0o600 })
        ctx.out.print({ file, grantee: to, scope, bucket }, () => `wrote the grant for ${to} to ${file}`)
      } else process.stdout.write(text)
      return 0
    },
  },
  {
    path: ['grants', 'open'],
    args: '<file>',
    summary: 'open a grant addressed to --account and keep its key in the keystore',
    examples: ["ddc grants open grant.json --account '//Charlie'", 'cat grant.json | ddc grants open -'],
    async run(ctx, args) {
      const file = need(args, 0, 'file', 'grants open <file>')
      noMore(args, 1, 'grants open <file>')
      const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
      const wire = parseJson(text, file) as WireSigned
      if (typeof wire?.bytes !== 'string' || typeof wire.seal !== 'object')
        throw new CliError(`${file} is not a grant ({bytes, seal})`, 'ERR_INVALID_INPUT')
      const signer = await ctx.signer()
      const [{ cryptoReady, toAddress }, { encryptionKeyPair, openGrant }, { fromWire }] = await Promise.all([
        core(),
        crypto(),
        sdk(),
      ])
      await cryptoReady()
      const key = await openGrant(fromWire(wire), encryptionKeyPair(signer.encryptionSeed))
      ctx.addTreeKey(key)
      const view = {
        bucket: key.bucket,
        scope: key.scope,
        epoch: key.epoch,
        level: key.level,
        ...(key.level === 'user' ? { owner: toAddress(key.owner) } : {}),
        keystore: ctx.keystorePath,
      }
      ctx.out.print(
        view,
        () =>
          `opened: ${key.level} key of scope "${key.scope}" in bucket ${key.bucket}${key.level === 'user' ? ` for ${toAddress(key.owner)}` : ''}; kept in ${ctx.keystorePath}`,
      )
      return 0
    },
  },
  {
    path: ['grants', 'list'],
    args: '<bucket>',
    summary: 'grants kept in DDC by a grantor (default --account), and which are revoked',
    options: { grantor: { type: 'string' }, to: { type: 'string' } },
    optionHelp: [
      '--grantor <address>   whose records (default: --account)',
      '--to <address>        only grants to this account',
    ],
    examples: [
      'ddc grants list 2 --json',
      'ddc grants list 2 --grantor 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --to me',
    ],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'grants list <bucket>')
      noMore(args, 1, 'grants list <bucket>')
      const client = await ctx.plainClient()
      const to = ctx.str('to') === 'me' ? client.address : ctx.str('to')
      const grantor = ctx.str('grantor')
      const list = await client.grants(bucket, { ...(grantor ? { grantor } : {}), ...(to ? { grantee: to } : {}) })
      ctx.out.print(list, () =>
        list.length
          ? table(
              ['record', 'grantee', 'scope', 'epoch', 'expires', 'revoked'],
              list.map((g) => [
                g.cid,
                g.grantee,
                g.owner ? `${g.scope} (${g.owner})` : g.scope,
                g.epoch,
                new Date(g.exp).toISOString(),
                g.revoked ? 'yes' : 'no',
              ]),
            )
          : `no grants recorded in bucket ${bucket}`,
      )
      return 0
    },
  },
  {
    path: ['grants', 'revoke'],
    args: '<bucket> <record-cid>',
    summary: 'withdraw a grant recorded with `share --record` (then raise the epoch for new data)',
    details:
      "Appends a revocation to --account's timeline. Data the grantee could read stays readable with the key it\nholds: seal new data under a higher epoch (`share --epoch`, and the app's scope map) to keep it out.",
    examples: ['ddc grants revoke 2 bafyrei…'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'grants revoke <bucket> <record-cid>')
      const cid = need(args, 1, 'record-cid', 'grants revoke <bucket> <record-cid>')
      noMore(args, 2, 'grants revoke <bucket> <record-cid>')
      const r = await (await ctx.plainClient()).revokeGrant(bucket, cid)
      ctx.out.print({ bucket, revoked: cid, seq: r.seq, cid: r.cid.toString() }, () => `revoked ${cid} (seq ${r.seq})`)
      return 0
    },
  },
]
