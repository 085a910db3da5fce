#!/usr/bin/env -S node --import tsx
/**
 * Demo data for the devnet: a few users' timelines in the demo bucket, written through the SDK as an
 * app would — several event types, scopes encrypted under the devnet's demo master key, one user's
 * scope shared with an analyst (a key grant, plus a read capability from the bucket owner), and one
 * event erased by a tombstone. `npm run seed` (apps/devnet) seeds the running devnet described by
 * .ddc/devnet.json; `npm start -- --seed` seeds right after start; `--cls URL --master-key HEX` seeds
 * any network (e.g. the Docker Compose one).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createAccount, cryptoReady, fromHex, InvalidInputError, issueCapability, NotFoundError } from '@ddc/core'
import { KeyRing, standardModule } from '@ddc/crypto'
import { createClient, type EventInput, toWire, type WireSigned } from '@ddc/sdk'
import type { DevnetInfo } from './devnet.js'
import { DEMO_SCOPES, devSecrets } from './plan.js'

/** Timeline owners of the demo data (dev accounts). */
export const DEMO_USERS = ['//Bob', '//Charlie', '//Dave'] as const
/** Receives Bob's `activity` scope. */
export const DEMO_ANALYST = '//Eve'
/** Owner of the demo bucket: issues the analyst's read capability. */
export const DEMO_BUCKET_OWNER = '//Alice'
const SHARED = { user: '//Bob', scope: 'activity' } as const
/** Charlie asks for his first page view to be removed. */
const ERASED = { user: '//Charlie', index: 1 } as const
const WEEK_MS = 7 * 24 * 3600_000

/** The events of one demo user; `email`/`name` go to the profile scope, `page`/`action` to activity, the rest stays public. */
export function demoTimeline(uri: string): EventInput[] {
  const name = uri.slice(2)
  const email = `${name.toLowerCase()}@example.com`
  const plan = name === 'Dave' ? 'team' : 'pro'
  return [
    { type: 'signup', data: { email, name, plan: 'free', referrer: 'newsletter' } },
    { type: 'page_view', data: { page: '/pricing', action: 'view', lang: 'en' } },
    { type: 'page_view', data: { page: `/docs/${name.toLowerCase()}`, action: 'view', lang: 'en' } },
    { type: 'click', data: { page: '/pricing', action: 'start_trial', button: 'hero' } },
    { type: 'purchase', data: { page: '/checkout', action: 'buy', plan, amount: plan === 'team' ? 99 : 49 } },
  ]
}

export interface SeedInit {
  /** CLS URL. */
  cls: string
  bucket: string
  /** The bucket's app master key, 32 bytes of hex (the devnet's `demoMasterKey`). */
  masterKey: string
  signal?: AbortSignal
}

export interface SeededEvent {
  seq: number
  cid: string
  type: string
}

export interface SeedReport {
  bucket: string
  users: { uri: string; address: string; events: SeededEvent[]; erased: string[] }[]
  analyst: {
    uri: string
    address: string
    /** Whose timeline and which scope the grant opens. */
    owner: string
    scope: string
    grant: WireSigned
    /** Root `read` capability from the bucket owner, for the shared timeline. */
    capability: WireSigned
  }
}

/** Scoped encryption as the devnet's encryption service does it for the demo bucket. */
export function demoEncryption(bucket: string, masterKey: string) {
  return {
    module: standardModule({ scopes: DEMO_SCOPES }),
    keys: new KeyRing({ keys: [{ level: 'master', bucket, key: fromHex(masterKey, 32) }] }),
  }
}

export async function seedDemo(init: SeedInit): Promise<SeedReport> {
  await cryptoReady()
  const { bucket, signal } = init
  const opts = signal ? { signal } : {}
  const encryption = demoEncryption(bucket, init.masterKey)
  const clients = new Map(
    DEMO_USERS.map((uri) => [uri, createClient({ signer: createAccount({ uri }), cls: init.cls, encryption })]),
  )
  const users: SeedReport['users'] = []
  for (const [uri, client] of clients) {
    const stored = await client.appendMany(bucket, demoTimeline(uri), opts)
    const events = stored.map((e) => ({ seq: e.seq, cid: e.cid.toString(), type: e.type }))
    const erased: string[] = []
    if (uri === ERASED.user) {
      const target = stored[ERASED.index]!
      const tombstone = await client.erase(bucket, [target.cid], opts)
      events.push({ seq: tombstone.seq, cid: tombstone.cid.toString(), type: tombstone.type })
      erased.push(target.cid.toString())
    }
    users.push({ uri, address: client.address, events, erased })
  }

  const analyst = createAccount({ uri: DEMO_ANALYST })
  await createClient({ signer: analyst, cls: init.cls }).announceKey(signal)
  const sharer = clients.get(SHARED.user)!
  const exp = Date.now() + WEEK_MS
  const grant = await sharer.share(
    { bucket, scope: SHARED.scope, grantee: analyst.address, owner: sharer.address, exp },
    signal,
  )
  const capability = await issueCapability(createAccount({ uri: DEMO_BUCKET_OWNER }), {
    aud: analyst.address,
    bucket,
    tl: [sharer.address],
    ops: ['read'],
    exp,
  })
  return {
    bucket,
    users,
    analyst: {
      uri: DEMO_ANALYST,
      address: analyst.address,
      owner: sharer.address,
      scope: SHARED.scope,
      grant: toWire(grant),
      capability: toWire(capability),
    },
  }
}

/** Seeds a running devnet (its devnet.json) and writes the report beside it as seed.json. */
export async function seedDevnet(info: Pick<DevnetInfo, 'cls' | 'demoBucket' | 'dataDir'>): Promise<SeedReport> {
  const secrets = join(info.dataDir, 'dev-secrets.json')
  if (!existsSync(secrets)) throw new NotFoundError(`${secrets} is missing: start the devnet first (npm start)`)
  const report = await seedDemo({
    cls: info.cls,
    bucket: info.demoBucket,
    masterKey: devSecrets(info.dataDir).demoMasterKey,
  })
  writeFileSync(join(info.dataDir, 'seed.json'), `${JSON.stringify(report, null, 2)}\n`)
  return report
}

export function describeSeed(r: SeedReport): string {
  const lines = r.users.map(
    (u) =>
      `  ${u.uri.padEnd(9)} ${u.address}  ${u.events.length} events${u.erased.length ? `, ${u.erased.length} erased` : ''}`,
  )
  return [
    `seeded bucket ${r.bucket}:`,
    ...lines,
    `  ${r.analyst.uri} holds a grant of ${r.analyst.scope} for ${r.analyst.owner} and a read capability`,
  ].join('\n')
}

async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      cls: { type: 'string' },
      'master-key': { type: 'string' },
      bucket: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log('usage: npm run seed -- [--dir .ddc]   |   npm run seed -- --cls URL --master-key HEX [--bucket 1]')
    return
  }
  let report: SeedReport
  if (values.cls) {
    const masterKey = values['master-key']
    if (!masterKey) throw new InvalidInputError('--cls needs --master-key (the bucket master key, 32 bytes of hex)')
    report = await seedDemo({ cls: values.cls, bucket: values.bucket, masterKey })
  } else {
    // `npm start` keeps its data in the repo root's .ddc; --dir is relative to where npm was run.
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
    const dir = values.dir ? resolve(process.env.INIT_CWD ?? process.cwd(), values.dir) : join(root, '.ddc')
    const file = join(dir, 'devnet.json')
    if (!existsSync(file)) throw new NotFoundError(`${file} is missing: start the devnet first (npm start)`)
    report = await seedDevnet(JSON.parse(readFileSync(file, 'utf8')) as DevnetInfo)
    console.log(`report: ${join(dir, 'seed.json')}`)
  }
  console.log(describeSeed(report))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`error: ${(err as Error).message}`)
    process.exit(1)
  })
}
