/**
 * The peers, on the same events as DDC: each encoded DDC event (envelope, seal, body) is one entry.
 * Their heavy dependencies live in bench/peers (own package.json and lockfile, not a workspace),
 * installed on first use by the harness with `npm ci --prefix bench/peers`, never by `npm test`.
 */
import { spawn } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeCanonical } from '@ddc/core'
import { ROOT, runJsonChild, Unavailable } from '../child.js'
import type { BenchOptions } from '../options.js'
import type { Measure, Scenario } from '../results.js'
import { type BenchEvent, createWorkload, entryOf } from '../workload.js'

const PEERS = join(ROOT, 'bench', 'peers')

export const peersInstalled = (): boolean =>
  ['hypercore', '@orbitdb/core', 'helia'].every((p) => existsSync(join(PEERS, 'node_modules', p, 'package.json')))

async function ensurePeers(o: BenchOptions): Promise<void> {
  if (peersInstalled()) return
  if (!o.installPeers)
    throw new Unavailable('bench/peers is not installed (`npm run bench` installs it; or npm ci --prefix bench/peers)')
  process.stderr.write('installing the peers into bench/peers (npm ci, once; about 2 minutes) …\n')
  const code = await new Promise<number | null>((resolve) =>
    spawn('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: ROOT }).once(
      'exit',
      resolve,
    ),
  )
  if (code !== 0 || !peersInstalled()) throw new Unavailable(`npm ci --prefix bench/peers failed (exit ${code})`)
}

async function withEntries<T>(o: BenchOptions, count: number, fn: (file: string) => Promise<T>): Promise<T> {
  const w = createWorkload({ eventBytes: o.eventBytes, scopes: o.scopes, scheme: o.scheme, bucket: 'bench' })
  const events: BenchEvent[] = []
  for (let u = 0; events.length < count; u++)
    events.push(...(await w.build(w.user(`peer-${u}`), null, Math.min(o.batch, count - events.length), o.batch)))
  const file = join(tmpdir(), `ddc-bench-entries-${process.pid}-${count}.cbor`)
  writeFileSync(file, encodeCanonical(events.map(entryOf)))
  try {
    return await fn(file)
  } finally {
    rmSync(file, { force: true })
  }
}

/** A peer's runner (bench/peers/<name>.ts) as a child process on `count` of the run's events. */
function peerScenario(
  name: string,
  about: string,
  count: (o: BenchOptions) => number,
  args: (o: BenchOptions) => string[],
): Scenario {
  return {
    name,
    about,
    async run(o) {
      await ensurePeers(o)
      const measures = await withEntries(o, count(o), (file) =>
        runJsonChild<Measure[]>({
          script: `bench/peers/${name}.ts`,
          args: ['--entries', file, ...args(o)],
          timeoutMs: 180_000 + o.durationMs * 10,
        }),
      )
      return { measures }
    },
  }
}

export const hypercore = peerScenario(
  'hypercore',
  'Hypercore 11: append (1, 100, 1,000 per call; default and +fdatasync), reads, tails, verified replication',
  (o) => o.peerEvents,
  (o) => ['--long', String(o.longLength), '--ms', String(o.durationMs / 2)],
)

export const orbitdb = peerScenario(
  'orbitdb',
  'OrbitDB 4 on Helia: appends, reads, tail, bytes on disk',
  (o) => o.orbitEvents,
  (o) => ['--count', String(o.orbitEvents), '--ms', String(o.durationMs * 2)],
)
