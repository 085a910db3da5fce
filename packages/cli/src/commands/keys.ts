/** `ddc keys new|show|address|announce|master` — accounts and encryption keys. */
import { existsSync } from 'node:fs'
import { need, noMore } from '../args.js'
import type { Command } from '../command.js'
import { core, crypto } from '../lazy.js'
import { CliError, table } from '../output.js'

async function addresses(accountId: Uint8Array) {
  const { toAddress, SS58_CERE, SS58_GENERIC } = await core()
  return { generic: toAddress(accountId, SS58_GENERIC), cere: toAddress(accountId, SS58_CERE) }
}

export const keyCommands: Command[] = [
  {
    path: ['keys', 'new'],
    summary: 'generate a new account (12-word mnemonic) and print its addresses',
    details:
      'The mnemonic is the account: keep it secret, pass it as --account or DDC_ACCOUNT. It is printed once\nand stored nowhere.',
    examples: ['ddc keys new', 'ddc keys new --scheme ed25519 --json'],
    async run(ctx, args) {
      noMore(args, 0, 'keys new')
      const { cryptoReady, generateAccount } = await core()
      await cryptoReady()
      const { mnemonic, signer } = generateAccount(ctx.scheme())
      const a = await addresses(signer.accountId)
      ctx.out.print({ mnemonic, scheme: signer.scheme, address: a.generic, addressCere: a.cere }, () =>
        [
          `mnemonic     ${mnemonic}`,
          `scheme       ${signer.scheme}`,
          `address      ${a.generic}   (prefix 42)`,
          `address cere ${a.cere}   (prefix 54)`,
          '',
          'Keep the mnemonic secret. Use it with: export DDC_ACCOUNT="<mnemonic>"',
        ].join('\n'),
      )
      return 0
    },
  },
  {
    path: ['keys', 'show'],
    summary: "show the account's addresses, public key and scheme",
    examples: ["ddc keys show --account '//Alice'", "DDC_ACCOUNT='//Bob' ddc keys show --json"],
    async run(ctx, args) {
      noMore(args, 0, 'keys show')
      const s = await ctx.signer()
      const { toHex } = await core()
      const a = await addresses(s.accountId)
      const view = {
        address: a.generic,
        addressCere: a.cere,
        accountId: toHex(s.accountId),
        publicKey: toHex(s.publicKey),
        scheme: s.scheme,
      }
      ctx.out.print(view, () =>
        table(
          ['field', 'value'],
          Object.entries(view).map(([k, v]) => [k, v]),
        ),
      )
      return 0
    },
  },
  {
    path: ['keys', 'address'],
    summary: "print the account's address (SS58 prefix 42, or --prefix 54 for Cere)",
    options: { prefix: { type: 'string', default: '42' } },
    optionHelp: ['--prefix 42|54   SS58 prefix (default 42, generic Substrate)'],
    examples: ["ddc keys address --account '//Alice'", "ddc keys address --account '//Alice' --prefix 54"],
    async run(ctx, args) {
      noMore(args, 0, 'keys address')
      const prefix = Number(ctx.str('prefix'))
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > 16383)
        throw new CliError(
          `--prefix must be an SS58 prefix such as 42 or 54, got "${ctx.str('prefix')}"`,
          'ERR_INVALID_INPUT',
        )
      const s = await ctx.signer()
      const { toAddress } = await core()
      const address = toAddress(s.accountId, prefix)
      ctx.out.print({ address, prefix }, () => address)
      return 0
    },
  },
  {
    path: ['keys', 'announce'],
    summary: "publish the account's X25519 encryption key to the CLS key directory (needed to receive grants)",
    examples: ["ddc keys announce --account '//Charlie'"],
    async run(ctx, args) {
      noMore(args, 0, 'keys announce')
      const client = await ctx.client()
      await client.announceKey()
      ctx.out.print({ announced: client.address }, () => `announced the encryption key of ${client.address}`)
      return 0
    },
  },
  {
    path: ['keys', 'master'],
    args: '<bucket>',
    summary: 'create the app master key for a bucket in the local keystore (put/cat then encrypt/decrypt)',
    details:
      'The key is 32 random bytes in the keystore (~/.ddc/keys.json or --keystore, file mode 0600). Events put\nto the bucket are then sealed with the scope map (--scopes, default: all fields in scope "data").',
    options: { force: { type: 'boolean' } },
    optionHelp: ['--force   replace an existing master key (data sealed under the old one stays unreadable)'],
    examples: ['ddc keys master 1', 'ddc keys master 1 --keystore ./keys.json'],
    async run(ctx, args) {
      const bucket = need(args, 0, 'bucket', 'keys master <bucket>')
      noMore(args, 1, 'keys master <bucket>')
      const { generateMasterKey } = await crypto()
      const { cryptoReady, toHex } = await core()
      await cryptoReady()
      const ks = ctx.readKeystore()
      ks.buckets[bucket] ??= {}
      const b = ks.buckets[bucket] as { master?: string }
      if (b.master && !ctx.values.force)
        throw new CliError(
          `bucket ${bucket} already has a master key in ${ctx.keystorePath}`,
          'ERR_CONFLICT',
          'pass --force to replace it (old data becomes unreadable)',
        )
      const existed = existsSync(ctx.keystorePath)
      b.master = toHex(generateMasterKey())
      ctx.writeKeystore(ks)
      ctx.out.print(
        { bucket, keystore: ctx.keystorePath },
        () => `${existed ? 'added' : 'created'} master key for bucket ${bucket} in ${ctx.keystorePath} (mode 0600)`,
      )
      return 0
    },
  },
]
