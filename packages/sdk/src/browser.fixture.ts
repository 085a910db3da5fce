/**
 * Runs in headless Chromium (bundled by browser.test.ts) against a real test network: a polkadot{.js}-style
 * extension signer (its `signRaw` counted here, in the page) stores events through the SDK, which reads
 * them back verified and decrypted. `window.__input` gives the node URLs, the bucket and the app key.
 */
import { createAccount, cryptoReady, extensionSigner, fromHex, type SignRawFn, toHex } from '@ddc/core'
import { KeyRing, standardModule } from '@ddc/crypto'
import { createClient, type ReadEvent } from './index.js'

interface Input {
  nodes: string[]
  bucket: string
  master: string
}
const w = window as unknown as { __input: Input; __result?: unknown; __done?: boolean; __error?: string }

/** What an extension injects: it wraps the hex data in <Bytes> and signs (here with a key in the page). */
function fakeExtension(uri: string) {
  const key = createAccount({ uri })
  const wallet = { calls: 0, address: key.address }
  const signRaw: SignRawFn = async ({ data }) => {
    wallet.calls++
    return { signature: toHex(key.signRawSync(fromHex(data))) }
  }
  return { wallet, signer: extensionSigner({ address: key.address, scheme: 'sr25519', signRaw }) }
}

async function all(it: AsyncIterable<ReadEvent>): Promise<ReadEvent[]> {
  const out: ReadEvent[] = []
  for await (const e of it) out.push(e)
  return out
}

try {
  await cryptoReady()
  const { nodes, bucket, master } = w.__input
  const module = standardModule({
    scopes: { page_view: { scopes: { profile: ['email'], activity: ['page'] }, unmapped: 'public' } },
  })
  const encryption = () => ({ module, keys: new KeyRing({ keys: [{ level: 'master', key: fromHex(master, 32) }] }) })

  // (a) one event stored and read back decrypted.
  const one = fakeExtension('//BrowserOne')
  const client = createClient({ signer: one.signer, nodes, encryption: encryption() })
  const stored = await client.append(bucket, {
    type: 'page_view',
    data: { email: 'web@example.com', page: '/from-chromium', lang: 'en' },
  })
  const [back] = await all(client.events(bucket))

  // (b) 100 events in one appendMany: the wallet is asked once; all read back verified and decrypted.
  const batch = fakeExtension('//BrowserBatch')
  const batchClient = createClient({ signer: batch.signer, nodes, encryption: encryption() })
  const events = Array.from({ length: 100 }, (_, n) => ({
    type: 'page_view',
    data: { email: `u${n}@example.com`, page: `/p/${n}`, n },
  }))
  const appended = await batchClient.appendMany(bucket, events)
  const callsAfterAppend = batch.wallet.calls
  const read = await all(batchClient.events(bucket, batch.wallet.address, { pageSize: 40 }))
  const report = await batchClient.verifyTimeline(bucket)

  w.__result = {
    one: {
      address: one.wallet.address,
      calls: one.wallet.calls,
      cid: stored?.cid.toString(),
      readCid: back?.cid.toString(),
      data: back?.data,
      opened: back?.opened,
    },
    batch: {
      address: batch.wallet.address,
      callsAfterAppend,
      callsAtEnd: batch.wallet.calls,
      seqs: appended.map((e) => e.seq),
      cids: appended.map((e) => e.cid.toString()),
      read: read.map((e) => ({ seq: e.seq, cid: e.cid.toString(), data: e.data, opened: e.opened.sort() })),
      verified: { ok: report.ok, checked: report.checked },
    },
  }
  w.__done = true
} catch (err) {
  w.__error = (err as Error).stack ?? String(err)
}
