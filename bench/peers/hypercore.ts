/**
 * Hypercore 11 on the harness's events (run as a child by scenarios/peers.ts; its modules resolve from
 * bench/peers/node_modules). Appends one entry per append() and in batches of 100 and 1,000, each also
 * "durable" (an fdatasync of its RocksDB write-ahead log after every append call, which Hypercore does
 * not do: it resolves append() before any fsync); local and tail reads; verified replication.
 *   node --import tsx bench/peers/hypercore.ts --entries <file> --long N --ms N --json <file>
 */
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeCanonical } from '@ddc/core'
import { dirBytes } from '../proc.js'
import { type Measure, measure } from '../results.js'
import { summarize } from '../stats.js'

interface Stream {
  pipe(to: Stream): Stream
}
interface Core {
  ready(): Promise<void>
  append(block: Uint8Array | Uint8Array[]): Promise<{ length: number }>
  get(index: number): Promise<Uint8Array>
  readonly length: number
  readonly key: Uint8Array
  replicate(isInitiator: boolean): Stream
  download(range: { start: number; end: number }): { done(): Promise<void> }
  close(): Promise<void>
}
type CoreCtor = new (storage: string, key?: Uint8Array) => Core

const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1]!
const entries = decodeCanonical<Uint8Array[]>(readFileSync(arg('--entries')), 1 << 30)
const long = Number(arg('--long'))
const ms = Number(arg('--ms'))
const pkg = 'hypercore'
const Hypercore = ((await import(pkg)) as { default: CoreCtor }).default
const root = mkdtempSync(join(tmpdir(), 'ddc-bench-hypercore-'))
let made = 0

async function open(key?: Uint8Array): Promise<{ core: Core; dir: string }> {
  const dir = join(root, `core-${made++}`)
  const core = new Hypercore(dir, key)
  await core.ready()
  return { core, dir }
}

/** fdatasync of every RocksDB write-ahead log file of a core's storage. */
function syncWal(dir: string): void {
  const db = join(dir, 'db')
  for (const name of readdirSync(db)) {
    if (!name.endsWith('.log')) continue
    const fd = openSync(join(db, name), 'r')
    fdatasyncSync(fd)
    closeSync(fd)
  }
}

/** Appends `per` entries per call until the entries or the time run out; events/s. */
async function appendRate(per: number, durable: boolean): Promise<number> {
  const { core, dir } = await open()
  const t0 = performance.now()
  let n = 0
  while (n < entries.length && performance.now() - t0 < ms) {
    const chunk = entries.slice(n, n + per)
    await core.append(per === 1 ? chunk[0]! : chunk)
    if (durable) syncWal(dir)
    n += chunk.length
  }
  const rate = n / ((performance.now() - t0) / 1000)
  await core.close()
  return rate
}

/** A core of `length` entries (the harness's entries, cycled), appended 1,000 at a time. */
async function filled(length: number): Promise<{ core: Core; dir: string }> {
  const c = await open()
  for (let n = 0; n < length; n += 1000)
    await c.core.append(
      Array.from({ length: Math.min(1000, length - n) }, (_, k) => entries[(n + k) % entries.length]!),
    )
  return c
}

async function tail(core: Core, rounds: number): Promise<number> {
  const once = async () => {
    const t = performance.now()
    for (let i = core.length - 100; i < core.length; i++) await core.get(i)
    return performance.now() - t
  }
  for (let k = 0; k < 5; k++) await once()
  const times: number[] = []
  for (let k = 0; k < rounds; k++) times.push(await once())
  return summarize(times).p50
}

const out: Measure[] = []
const single = await appendRate(1, false)
const singleDurable = await appendRate(1, true)
const perAppend = 'one ed25519-signed entry per append() call (Hypercore has no sr25519)'
for (const row of ['ingest.sr25519', 'ingest.ed25519']) {
  out.push(measure(row, 'hypercore', single, perAppend), measure(row, 'hypercoreDurable', singleDurable))
}
out.push(measure('ingest.batch100', 'hypercore', await appendRate(100, false), 'append() of 100 entries'))
out.push(measure('ingest.batch100', 'hypercoreDurable', await appendRate(100, true)))
out.push(measure('ingest.batch', 'hypercore', await appendRate(1000, false), 'append() of 1,000 entries'))
out.push(measure('ingest.batch', 'hypercoreDurable', await appendRate(1000, true)))

const small = await filled(1000)
const big = await filled(long)
const rounds = ms < 1000 ? 5 : 50
const t1k = await tail(small.core, rounds)
const tLong = await tail(big.core, rounds)
out.push(measure('tail.1k', 'hypercore', t1k, '100 sequential get() of the newest entries'))
out.push(measure(long >= 1_000_000 ? 'tail.1M' : 'tail.long', 'hypercore', tLong))
out.push(measure('tail.ratio', 'hypercore', tLong / t1k))

const reads = Math.min(big.core.length, entries.length)
let t = performance.now()
for (let i = 0; i < reads; i++) await big.core.get(i)
out.push(
  measure(
    'read.verify',
    'hypercore',
    reads / ((performance.now() - t) / 1000),
    `${reads} local get() (verified when written, not re-verified)`,
  ),
)

// Verified replication: a second core knowing only the public key downloads and checks every block.
const copy = await open(big.core.key)
const a = big.core.replicate(true)
a.pipe(copy.core.replicate(false)).pipe(a)
t = performance.now()
await copy.core.download({ start: 0, end: reads }).done()
out.push(
  measure(
    'replicate',
    'hypercore',
    reads / ((performance.now() - t) / 1000),
    `${reads} entries to a second core in-process (Merkle proofs + signature checked)`,
  ),
)
await copy.core.close()

await small.core.close()
const length = big.core.length
await big.core.close()
out.push(
  measure(
    'storage.bytes',
    'hypercore',
    dirBytes(big.dir) / length,
    `storage folder / ${length} entries of ${entries[0]!.length} B (the DDC event bytes)`,
  ),
)
rmSync(root, { recursive: true, force: true })
writeFileSync(arg('--json'), JSON.stringify(out))
