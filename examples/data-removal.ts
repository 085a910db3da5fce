// User data removal: a user asks the app to forget them. A signed tombstone appended to their
// timeline names what to erase (some events, or everything before it); the nodes delete those
// encrypted bodies in the same commit. The envelopes stay, so the hash chain (and any anchor on
// chain) still verifies, and readers see `redacted` where the data was.
//   npx tsx examples/data-removal.ts [--cls http://127.0.0.1:8701 --chain http://127.0.0.1:8700]
import { createAccount } from '@ddc/core'
import { createClient, type ReadEvent } from '@ddc/sdk'
import { journeyScopes } from './customer-journey.js'
import { type Log, type Network, runIfMain, withApp } from './network.js'

const show = (e: ReadEvent) => `${e.seq} ${e.type} ${e.redacted ? '(redacted)' : JSON.stringify(e.data)}`

export async function main(net: Network, log: Log = console.log) {
  return withApp(net, { module: journeyScopes }, async ({ bucket, encryption }) => {
    const user = createClient({ signer: createAccount({ uri: '//Eve' }), cls: net.cls, encryption })
    const [first] = await user.appendMany(bucket, [
      { type: 'page_view', data: { email: 'eve@example.com', page: '/signup' } },
      { type: 'checkout', data: { email: 'eve@example.com', total: 12, card_last4: '1111' } },
      { type: 'page_view', data: { email: 'eve@example.com', page: '/account' } },
    ])

    // "Delete my sign-up record": one event.
    await user.erase(bucket, [first!.cid])
    const afterOne: ReadEvent[] = []
    for await (const e of user.events(bucket)) afterOne.push(e)
    log('after erasing one:', afterOne.map(show).join(' | '))

    // "Forget me": everything before the tombstone.
    await user.erase(bucket, 'all')
    const afterAll: ReadEvent[] = []
    for await (const e of user.events(bucket)) afterAll.push(e)
    log('after erasing all:', afterAll.map(show).join(' | '))

    const report = await user.verifyTimeline(bucket)
    log('timeline still verifies:', report.ok, `(${report.checked} envelopes)`)
    const view = (es: ReadEvent[]) => es.map((e) => ({ seq: e.seq, type: e.type, redacted: e.redacted, data: e.data }))
    return { bucket, afterOne: view(afterOne), afterAll: view(afterAll), report }
  })
}

await runIfMain(import.meta.url, main)
