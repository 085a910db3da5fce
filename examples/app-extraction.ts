// Per-application extraction: the app walks every timeline of its bucket (all of its users, listed
// by the CLS across the cluster), reads each user's events verified and decrypted with the app's
// keys, and writes one flat row per event — JSON lines, ready for a warehouse, index or ML pipeline.
//   npx tsx examples/app-extraction.ts [--cls http://127.0.0.1:8701 --chain http://127.0.0.1:8700] > rows.jsonl
import { createAccount } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import { journeyScopes } from './customer-journey.js'
import { type Log, type Network, runIfMain, withApp } from './network.js'

export interface Row {
  owner: string
  seq: number
  type: string
  ts: string
  [field: string]: unknown
}

export async function main(net: Network, log: Log = console.log) {
  return withApp(
    net,
    { module: journeyScopes, settings: { app: 'shop' } },
    async ({ client: app, bucket, encryption }) => {
      // Some users of the app, each with their own timeline.
      const users = ['//Bob', '//Charlie', '//Dave']
      for (const [k, uri] of users.entries()) {
        const user = createClient({ signer: createAccount({ uri }), cls: net.cls, encryption })
        await user.appendMany(
          bucket,
          Array.from({ length: k + 1 }, (_, n) => ({
            type: 'page_view',
            data: { email: `${k}@example.com`, page: `/p${n}` },
          })),
        )
      }

      // Extraction: every timeline of the bucket, every event, one row each.
      const rows: Row[] = []
      for await (const t of app.timelines(bucket)) {
        for await (const e of app.events(bucket, t.owner)) {
          const row: Row = { owner: e.owner, seq: e.seq, type: e.type, ts: new Date(e.ts).toISOString(), ...e.data }
          log(JSON.stringify(row))
          rows.push(row)
        }
      }
      return { bucket, users: new Set(rows.map((r) => r.owner)).size, rows }
    },
  )
}

await runIfMain(import.meta.url, main)
