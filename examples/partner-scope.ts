// A partner reading only the scope it was granted: the shop grants an analytics partner the
// "activity" scope of every customer of its bucket. The grant wraps that one scope key for the
// partner's published X25519 key; the partner reads every customer's events and sees the activity
// fields, while profile and purchase stay sealed.
//   npx tsx examples/partner-scope.ts [--cls http://127.0.0.1:8701 --chain http://127.0.0.1:8700]
import { createAccount } from '@ddc/core'
import { KeyRing } from '@ddc/crypto'
import { createClient, fromWire, toWire } from '@ddc/sdk'
import { journeyScopes } from './customer-journey.js'
import { type Log, type Network, runIfMain, withApp } from './network.js'

export async function main(net: Network, log: Log = console.log) {
  return withApp(
    net,
    { module: journeyScopes, settings: { app: 'shop' } },
    async ({ client: shop, bucket, encryption }) => {
      for (const uri of ['//Dave', '//Eve']) {
        const customer = createClient({ signer: createAccount({ uri }), cls: net.cls, encryption })
        await customer.appendMany(bucket, [
          { type: 'page_view', data: { email: `${uri.slice(2).toLowerCase()}@example.com`, page: '/shoes' } },
          { type: 'add_to_cart', data: { sku: 'SHOE-42', price: 89 } },
        ])
      }

      // The partner publishes its encryption key; the shop grants the activity scope of all customers.
      const partner = createClient({
        signer: createAccount({ uri: '//Ferdie' }),
        cls: net.cls,
        encryption: { module: journeyScopes, keys: new KeyRing() },
      })
      await partner.announceKey()
      const grant = await shop.share({
        bucket,
        scope: 'activity',
        grantee: partner.address,
        exp: Date.now() + 86_400_000,
      })
      const json = JSON.stringify(toWire(grant)) // what the shop sends the partner (mail, API, …)
      log('grant', json.length, 'bytes for', partner.address)
      await partner.openGrant(fromWire(JSON.parse(json)))

      const seen = []
      for await (const t of partner.timelines(bucket)) {
        for await (const e of partner.events(bucket, t.owner)) {
          const locked = e.locked.map((l) => l.scope).sort()
          log(t.owner.slice(0, 8), e.type, JSON.stringify(e.data), 'locked', locked.join(','))
          seen.push({ owner: t.owner, type: e.type, data: e.data, opened: e.opened, locked })
        }
      }
      return { bucket, seen }
    },
  )
}

await runIfMain(import.meta.url, main)
