/** `ddc buckets create|update|list|show` — buckets on the chain. */
import type { Bucket } from '@ddc/chain'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { parseJson } from '../context.js'
import { core } from '../lazy.js'
import { CliError, table } from '../output.js'

let toAddress: (a: Uint8Array) => string = () => ''
async function ready() {
  toAddress = (await core()).toAddress
}

const view = (b: Bucket) => ({
  id: b.id,
  owner: toAddress(b.owner),
  cluster: b.clusterId,
  public: b.isPublic,
  settings: b.settings,
})

const rows = (bs: Bucket[]) =>
  table(
    ['id', 'owner', 'cluster', 'public'],
    bs.map((b) => [b.id, toAddress(b.owner), b.clusterId, b.isPublic ? 'yes' : 'no']),
  )

export const bucketCommands: Command[] = [
  {
    path: ['buckets', 'create'],
    summary: 'create a bucket owned by --account (in the dev cluster unless --cluster)',
    options: { cluster: { type: 'string' }, public: { type: 'boolean' }, settings: { type: 'string' } },
    optionHelp: [
      '--cluster <id>       cluster to place it in (default: the first cluster on the chain)',
      '--public             anyone may read it without a capability (writes always need one)',
      "--settings '<json>'  free-form bucket settings",
    ],
    examples: [
      "ddc buckets create --account '//Alice'",
      'ddc buckets create --public --settings \'{"app":"demo"}\' --json',
    ],
    async run(ctx, args) {
      noMore(args, 0, 'buckets create')
      await ready()
      const chain = await ctx.chain(true)
      try {
        let clusterId = ctx.str('cluster')
        if (!clusterId) {
          const [first] = await chain.listClusters()
          if (!first) throw new CliError('the chain has no cluster', 'ERR_NOT_FOUND', 'pass --cluster <id>')
          clusterId = first.id
        }
        const settings = ctx.str('settings')
        const { bucket } = await chain.createBucket({
          clusterId,
          isPublic: ctx.values.public === true,
          ...(settings ? { settings: parseJson(settings, '--settings') as Bucket['settings'] } : {}),
        })
        ctx.out.print(view(bucket), () => `created bucket ${bucket.id} in cluster ${bucket.clusterId}`)
      } finally {
        await chain.close()
      }
      return 0
    },
  },
  {
    path: ['buckets', 'update'],
    args: '<bucket>',
    summary: 'change a bucket of --account: its settings (replaced as a whole) or its visibility',
    options: { settings: { type: 'string' }, public: { type: 'boolean' }, private: { type: 'boolean' } },
    optionHelp: ["--settings '<json>'  the new settings", '--public | --private  who may read without a capability'],
    examples: [
      'ddc buckets update 1 --settings \'{"app":"demo","retentionDays":30}\' --json',
      'ddc buckets update 2 --private',
    ],
    async run(ctx, args) {
      const id = need(args, 0, 'bucket', 'buckets update <bucket>')
      noMore(args, 1, 'buckets update <bucket>')
      const settings = ctx.str('settings')
      const pub = ctx.values.public === true
      if (pub && ctx.values.private === true) throw new CliError('pass --public or --private, not both')
      if (!settings && !pub && ctx.values.private !== true)
        throw new CliError('nothing to change', 'ERR_USAGE', 'pass --settings, --public or --private')
      await ready()
      const chain = await ctx.chain(true)
      try {
        const { bucket } = await chain.updateBucket(id, {
          ...(settings ? { settings: parseJson(settings, '--settings') as Bucket['settings'] } : {}),
          ...(pub || ctx.values.private === true ? { isPublic: pub } : {}),
        })
        ctx.out.print(
          view(bucket),
          () =>
            `updated bucket ${bucket.id}: ${bucket.isPublic ? 'public' : 'private'}, settings ${JSON.stringify(bucket.settings)}`,
        )
      } finally {
        await chain.close()
      }
      return 0
    },
  },
  {
    path: ['buckets', 'list'],
    args: '[owner]',
    summary: "list an account's buckets (default: --account's)",
    examples: [
      "ddc buckets list --account '//Alice'",
      'ddc buckets list 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY --json',
    ],
    async run(ctx, args) {
      noMore(args, 1, 'buckets list [owner]')
      await ready()
      const owner = args[0] ?? (await ctx.signer()).address
      const chain = await ctx.chain(false)
      try {
        const bs = await chain.listBuckets(owner)
        ctx.out.print(bs.map(view), () => (bs.length ? rows(bs) : `no buckets owned by ${owner}`))
      } finally {
        await chain.close()
      }
      return 0
    },
  },
  {
    path: ['buckets', 'show'],
    args: '<bucket>',
    summary: 'show one bucket: owner, cluster, visibility, settings',
    examples: ['ddc buckets show 1', 'ddc buckets show 1 --json'],
    async run(ctx, args) {
      const id = need(args, 0, 'bucket', 'buckets show <bucket>')
      noMore(args, 1, 'buckets show <bucket>')
      await ready()
      const chain = await ctx.chain(false)
      try {
        const b = view(await chain.getBucket(id))
        ctx.out.print(b, () =>
          table(
            ['field', 'value'],
            Object.entries(b).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
          ),
        )
      } finally {
        await chain.close()
      }
      return 0
    },
  },
]
