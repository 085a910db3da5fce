/**
 * OrbitDB 4 (an events log on Helia) on the harness's events (run as a child by scenarios/peers.ts;
 * its modules resolve from bench/peers/node_modules): appends, a full local read, tail reads and
 * bytes on disk. Helia needs undici 7 (package.json override) and, on Node 20, Promise.withResolvers.
 *   node --import tsx bench/peers/orbitdb.ts --entries <file> --count N --ms N --json <file>
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeCanonical } from '@ddc/core'
import { dirBytes } from '../proc.js'
import { type Measure, measure } from '../results.js'
import { summarize } from '../stats.js'

if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    value<T>() {
      let resolve!: (v: T) => void
      let reject!: (e: unknown) => void
      const promise = new Promise<T>((a, b) => {
        resolve = a
        reject = b
      })
      return { promise, resolve, reject }
    },
  })
}

interface EventsDb {
  add(value: Uint8Array): Promise<string>
  iterator(opts?: { amount?: number }): AsyncIterable<{ hash: string; value: Uint8Array }>
  close(): Promise<void>
}
const load = async <T>(name: string): Promise<T> => (await import(name)) as T

const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1]!
const entries = decodeCanonical<Uint8Array[]>(readFileSync(arg('--entries')), 1 << 30)
const count = Math.min(Number(arg('--count')), entries.length)
const ms = Number(arg('--ms'))
const dir = mkdtempSync(join(tmpdir(), 'ddc-bench-orbitdb-'))

const { createLibp2p } = await load<{ createLibp2p(init: unknown): Promise<unknown> }>('libp2p')
const { gossipsub } = await load<{ gossipsub(init: unknown): unknown }>('@libp2p/gossipsub')
const { identify } = await load<{ identify(): unknown }>('@libp2p/identify')
const { createHelia } = await load<{ createHelia(init: unknown): Promise<{ stop(): Promise<void> }> }>('helia')
const { LevelBlockstore } = await load<{ LevelBlockstore: new (path: string) => unknown }>('blockstore-level')
const { createOrbitDB } = await load<{
  createOrbitDB(init: unknown): Promise<{ open(name: string): Promise<EventsDb>; stop(): Promise<void> }>
}>('@orbitdb/core')

// One local peer: no transports, no listening addresses; pubsub is there because OrbitDB requires it.
const libp2p = await createLibp2p({
  addresses: { listen: [] },
  services: { pubsub: gossipsub({ allowPublishToZeroTopicPeers: true }), identify: identify() },
})
const ipfs = await createHelia({ libp2p, blockstore: new LevelBlockstore(join(dir, 'blocks')) })
const orbitdb = await createOrbitDB({ ipfs, directory: join(dir, 'orbitdb') })
const db = await orbitdb.open('ddc-bench-events')

const out: Measure[] = []
let t = performance.now()
let n = 0
while (n < count && performance.now() - t < ms) await db.add(entries[n++]!)
const appendRate = n / ((performance.now() - t) / 1000)
const how = `db.add() of one entry (OrbitDB signs each entry with its identity key), ${n} entries`
out.push(measure('ingest.sr25519', 'orbitdb', appendRate, how), measure('ingest.ed25519', 'orbitdb', appendRate))

t = performance.now()
let read = 0
for await (const _ of db.iterator()) read++
out.push(
  measure('read.verify', 'orbitdb', read / ((performance.now() - t) / 1000), `iterator() over all ${read} entries`),
)

const rounds = ms < 1000 ? 5 : 50
const times: number[] = []
for (let k = 0; k < rounds + 5; k++) {
  const t0 = performance.now()
  for await (const _ of db.iterator({ amount: 100 })) {
    // drain
  }
  if (k >= 5) times.push(performance.now() - t0)
}
out.push(measure('tail.1k', 'orbitdb', summarize(times).p50, `iterator({ amount: 100 }) at length ${n}`))

await db.close()
await orbitdb.stop()
await ipfs.stop()
out.push(measure('storage.bytes', 'orbitdb', dirBytes(dir) / n, `blockstore + OrbitDB folders / ${n} entries`))
rmSync(dir, { recursive: true, force: true })
writeFileSync(arg('--json'), JSON.stringify(out))
