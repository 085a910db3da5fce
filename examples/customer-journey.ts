// Capture a customer journey with scopes: a shop's web client captures what one customer does
// (page views, cart, checkout); each event is split into scopes — profile, activity, purchase — each
// sealed under its own key, batched by the capture queue (one signature per batch), and appended to
// the customer's hash-linked timeline. The shop then reads the journey back, verified and decrypted.
//   npx tsx examples/customer-journey.ts [--cls http://127.0.0.1:8701 --chain http://127.0.0.1:8700]
import { createAccount } from '@ddc/core'
import { standardModule } from '@ddc/crypto'
import { createClient } from '@ddc/sdk'
import { type Log, type Network, runIfMain, withApp } from './network.js'

/** Which fields go to which scope, per event type; anything else stays public. */
export const journeyScopes = standardModule({
  scopes: {
    page_view: { scopes: { profile: ['email'], activity: ['page', 'referrer'] }, unmapped: 'public' },
    add_to_cart: { scopes: { activity: ['sku'], purchase: ['price'] }, unmapped: 'public' },
    checkout: { scopes: { profile: ['email'], purchase: ['total', 'card_last4'] }, unmapped: 'public' },
  },
})

export async function main(net: Network, log: Log = console.log) {
  // The shop's bucket on chain (its settings say what the app is) and the shop's keys.
  return withApp(
    net,
    { module: journeyScopes, settings: { app: 'shop', kind: 'journey' } },
    async ({ bucket, encryption }) => {
      log('bucket', bucket)
      // The customer's client: their key signs; the shop's keys encrypt each scope.
      const customer = createClient({
        signer: createAccount({ uri: '//Dave' }),
        cls: net.cls,
        encryption,
        capture: { maxBatch: 50, maxDelayMs: 25 },
      })
      const steps = [
        { type: 'page_view', data: { email: 'dave@example.com', page: '/', referrer: 'newsletter', lang: 'en' } },
        { type: 'page_view', data: { email: 'dave@example.com', page: '/shoes', lang: 'en' } },
        { type: 'add_to_cart', data: { sku: 'SHOE-42', price: 89, currency: 'EUR' } },
        { type: 'page_view', data: { email: 'dave@example.com', page: '/cart', lang: 'en' } },
        { type: 'checkout', data: { email: 'dave@example.com', total: 89, card_last4: '4242', currency: 'EUR' } },
      ]
      // Captured as they happen; the queue sends them together.
      const stored = await Promise.all(steps.map((s) => customer.capture(bucket, s)))
      await customer.flush()
      log('captured', stored.length, 'events in', customer.queue.batches, 'batch(es)')

      const journey = []
      for await (const e of customer.events(bucket)) {
        log(e.seq, e.type, JSON.stringify(e.data), 'scopes', e.opened.sort().join(','))
        journey.push({ seq: e.seq, type: e.type, data: e.data, opened: e.opened })
      }
      const checkouts = []
      for await (const e of customer.events(bucket, customer.address, { type: 'checkout' })) checkouts.push(e.seq)
      const report = await customer.verifyTimeline(bucket)
      log('checkout at seq', checkouts.join(','), '- timeline verified:', report.ok, `(${report.checked} events)`)
      await customer.close()
      return { bucket, customer: customer.address, batches: customer.queue.batches, journey, checkouts, report }
    },
  )
}

await runIfMain(import.meta.url, main)
