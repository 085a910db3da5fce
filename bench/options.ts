/**
 * Parameters of a run (issue #9: event size, scopes, signature scheme, batch size, concurrency,
 * duration) and the sizes that follow from --quick / --full. Every scenario reads only this.
 */
import type { SigScheme } from '@ddc/core'

export interface BenchOptions {
  /** Plaintext bytes per event, split evenly over the scopes. */
  eventBytes: number
  scopes: number
  scheme: SigScheme
  /** Events per signature in batch-signed runs. */
  batch: number
  /** Concurrent requests when measuring peak append rate. */
  concurrency: number
  /** Length of each timed phase. */
  durationMs: number
  /** Length of the long timeline for tail reads (the 1k one is always there); 1M is added by --full. */
  longLength: number
  full: boolean
  quick: boolean
  /** Events fed to each peer (OrbitDB appends about 100/s, so it gets a share). */
  peerEvents: number
  orbitEvents: number
  /** Scenario names to run (default: all). */
  only?: string[]
  /** Where table.md, results.json and chart.svg go. */
  out: string
  /** Install bench/peers when missing (the harness does; the smoke test does not). */
  installPeers: boolean
  /** Verify worker threads of each node under test (absent: the node's default, one per core). */
  verifyWorkers?: number
}

const SCHEMES: readonly SigScheme[] = ['sr25519', 'ed25519', 'ecdsa']

export function defaults(mode: 'standard' | 'quick' | 'full' | 'tiny', out: string): BenchOptions {
  const base: BenchOptions = {
    eventBytes: 1024,
    scopes: 3,
    scheme: 'sr25519',
    batch: 1000,
    concurrency: 16,
    durationMs: 8000,
    longLength: 100_000,
    full: mode === 'full',
    quick: mode === 'quick' || mode === 'tiny',
    peerEvents: 20_000,
    orbitEvents: 1000,
    out,
    installPeers: true,
  }
  if (mode === 'quick') return { ...base, durationMs: 3000, longLength: 20_000, peerEvents: 5000, orbitEvents: 300 }
  if (mode === 'tiny')
    return {
      ...base,
      durationMs: 300,
      longLength: 1200,
      batch: 100,
      concurrency: 4,
      peerEvents: 300,
      orbitEvents: 30,
      installPeers: false,
      // Each worker thread loads tsx and @ddc/core (seconds); inline verification starts faster.
      verifyWorkers: 0,
    }
  return base
}

const number = (v: string | undefined, flag: string): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`)
  return n
}

/** Command-line flags over the defaults of the mode (--quick, --full). */
export function parseOptions(argv: readonly string[], out: string): BenchOptions {
  const mode = argv.includes('--full') ? 'full' : argv.includes('--quick') ? 'quick' : 'standard'
  const o = defaults(mode, out)
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k]!
    const v = argv[k + 1]
    const take = () => {
      k++
      return v
    }
    if (flag === '--event-size') o.eventBytes = number(take(), flag)
    else if (flag === '--scopes') o.scopes = number(take(), flag)
    else if (flag === '--scheme') {
      const s = take() as SigScheme
      if (!SCHEMES.includes(s)) throw new Error(`--scheme is one of ${SCHEMES.join(', ')}`)
      o.scheme = s
    } else if (flag === '--batch') o.batch = number(take(), flag)
    else if (flag === '--concurrency') o.concurrency = number(take(), flag)
    else if (flag === '--duration') o.durationMs = number(take(), flag) * 1000
    else if (flag === '--long') o.longLength = number(take(), flag)
    else if (flag === '--only') o.only = (take() ?? '').split(',')
    else if (flag === '--out') o.out = take() ?? out
    else if (flag === '--no-install') o.installPeers = false
    else if (flag !== '--quick' && flag !== '--full') throw new Error(`unknown flag ${flag} (see bench/README.md)`)
  }
  return o
}

/** Timeline lengths that get a tail-read measure. */
export const tailLengths = (o: BenchOptions): number[] => [1000, o.longLength, ...(o.full ? [1_000_000] : [])]
