/**
 * How the examples find a network (`--cls <url> --chain <url>`, else DDC_CLS / DDC_CHAIN, else the
 * `.ddc/devnet.json` that `npm start` writes) and the app's side they share: //Alice (funded on every
 * dev network) with a chain client, the app's keys and a fresh bucket, so every run starts clean. Each
 * example exports `main(network, log)` (run by examples.test.ts) and runs it when started as a program.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type BucketSettings, type Chain, devChainClient } from '@ddc/chain'
import { createAccount, cryptoReady, type Signer } from '@ddc/core'
import { type EncryptionModule, generateMasterKey, KeyRing } from '@ddc/crypto'
import { createClient, type DdcClient } from '@ddc/sdk'

export interface Network {
  cls: string
  chain: string
}

export type Log = (...args: unknown[]) => void

export function networkFromEnv(argv: string[] = process.argv.slice(2)): Network {
  const { values } = parseArgs({ args: argv, options: { cls: { type: 'string' }, chain: { type: 'string' } } })
  const file = resolve(process.env.DDC_DEVNET_FILE ?? '.ddc/devnet.json')
  const devnet = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Network>) : {}
  const cls = values.cls ?? process.env.DDC_CLS ?? devnet.cls
  const chain = values.chain ?? process.env.DDC_CHAIN ?? devnet.chain
  if (!cls || !chain)
    throw new Error('no network: run `npm start` in this folder first, or pass --cls <url> --chain <url>')
  return { cls, chain }
}

/** A dev chain client that signs as `signer` (closed by the caller). */
export const chainFor = (net: Network, signer: Signer) => devChainClient({ url: net.chain, signer })

export interface App {
  /** The app's client (//Alice, with `chain`). */
  client: DdcClient
  bucket: string
  /** The app's scope map and master key: what its users' clients encrypt with. */
  encryption: { module: EncryptionModule; keys: KeyRing }
  chain: Chain
}

/** Creates the app's public bucket and keys, runs `fn`, and closes the chain client. */
export async function withApp<T>(
  net: Network,
  init: { module: EncryptionModule; settings?: BucketSettings },
  fn: (app: App) => Promise<T>,
): Promise<T> {
  const signer = createAccount({ uri: '//Alice' })
  const chain = chainFor(net, signer)
  try {
    const keys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })
    const encryption = { module: init.module, keys }
    const client = createClient({ signer, cls: net.cls, chain, encryption })
    const bucket = (await client.createBucket({ isPublic: true, settings: init.settings ?? {} })).id
    return await fn({ client, bucket, encryption, chain })
  } finally {
    await chain.close()
  }
}

/** Runs `main` when `moduleUrl` is the program node was started with. */
export async function runIfMain(moduleUrl: string, main: (net: Network, log: Log) => Promise<unknown>): Promise<void> {
  if (moduleUrl !== `file://${process.argv[1]}`) return
  await cryptoReady()
  await main(networkFromEnv(), console.log)
}
