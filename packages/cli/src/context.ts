/**
 * What every command needs: the global options, where the network is (flags, env, `.ddc/devnet.json`),
 * who signs (`--account` / `DDC_ACCOUNT`, never printed), the local keystore, and the SDK and chain clients.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { ParseArgsConfig } from 'node:util'
import type { Chain } from '@ddc/chain'
import type { LocalSigner, SigScheme } from '@ddc/core'
import type { ScopeMap, TreeKey } from '@ddc/crypto'
import type { DdcClient, TimelineInfo } from '@ddc/sdk'
import { chainLib, core, crypto, sdk } from './lazy.js'
import { CliError, Output } from './output.js'

export const GLOBAL_OPTIONS = {
  network: { type: 'string' },
  nodes: { type: 'string' },
  chain: { type: 'string' },
  account: { type: 'string' },
  scheme: { type: 'string' },
  keystore: { type: 'string' },
  scopes: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

export const GLOBAL_HELP = `Global options:
  --network devnet|<CLS url>   where the network is (default: .ddc/devnet.json if present; env DDC_NETWORK)
  --nodes <url,...>            talk to these storage nodes directly instead of a CLS (env DDC_NODES)
  --chain <url>                dev chain node URL (default: from the devnet; env DDC_CHAIN)
  --account <secret>           secret URI or mnemonic of the signer (env DDC_ACCOUNT; never printed)
  --scheme sr25519|ed25519     signature scheme of --account (default sr25519)
  --keystore <file>            local key store (default ~/.ddc/keys.json; env DDC_KEYSTORE)
  --scopes '<json>'            scope map for encryption (default: every field in scope "data")
  --json                       machine-readable output (one JSON document on stdout)
  -h, --help                   help for a command`

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>

/** The scope map used when a bucket has a master key and no --scopes: everything sealed in "data". */
export const DEFAULT_SCOPES: ScopeMap = { '*': { scopes: {}, unmapped: 'data' } }

interface DevnetFile {
  chain?: string
  cls?: string
  storage?: string[]
}

interface KeystoreFile {
  v: 1
  /** bucket → keys (hex), master or granted. */
  buckets: Record<
    string,
    {
      master?: string
      keys?: { level: 'bucket' | 'user'; scope: string; epoch: number; owner?: string; key: string }[]
    }
  >
}

export class Ctx {
  readonly out: Output
  #signer: LocalSigner | undefined
  #devnet: DevnetFile | null | undefined

  constructor(readonly values: Values) {
    this.out = new Output(values.json === true)
  }

  str(name: string): string | undefined {
    const v = this.values[name]
    return typeof v === 'string' ? v : undefined
  }

  get devnet(): DevnetFile | null {
    if (this.#devnet !== undefined) return this.#devnet
    const file = resolve(process.env.DDC_DEVNET_FILE ?? join('.ddc', 'devnet.json'))
    this.#devnet = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevnetFile) : null
    return this.#devnet
  }

  /** `{ cls }` or `{ nodes }` for the SDK. */
  placement(): { cls: string } | { nodes: string[] } {
    const nodes = this.str('nodes') || process.env.DDC_NODES
    if (nodes)
      return {
        nodes: nodes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      }
    const net = this.str('network') || process.env.DDC_NETWORK
    if (net && net !== 'devnet') return { cls: checkUrl(net, '--network') }
    const cls = this.devnet?.cls
    if (cls) return { cls }
    throw new CliError(
      net === 'devnet' ? 'no .ddc/devnet.json in this folder' : 'no network configured',
      'ERR_NOT_CONFIGURED',
      'run `ddc devnet up` here, or pass --network <CLS url> or --nodes <url,...>',
    )
  }

  chainUrl(): string {
    const url = this.str('chain') || process.env.DDC_CHAIN || this.devnet?.chain
    if (!url)
      throw new CliError('no chain configured', 'ERR_NOT_CONFIGURED', 'pass --chain <url>, or run `ddc devnet up` here')
    return checkUrl(url, '--chain')
  }

  scheme(): SigScheme {
    const s = this.str('scheme') ?? 'sr25519'
    if (s !== 'sr25519' && s !== 'ed25519') throw new CliError(`--scheme must be sr25519 or ed25519, got "${s}"`)
    return s
  }

  async signer(): Promise<LocalSigner> {
    if (this.#signer) return this.#signer
    const uri = this.str('account') || process.env.DDC_ACCOUNT
    if (!uri)
      throw new CliError(
        'no account',
        'ERR_NOT_CONFIGURED',
        'pass --account <mnemonic or //Dev URI> or set DDC_ACCOUNT (create one with `ddc keys new`)',
      )
    const { createAccount, cryptoReady } = await core()
    await cryptoReady()
    if (!plausibleSecret(uri))
      throw new CliError(
        '--account is not a valid secret URI or mnemonic',
        'ERR_INVALID_INPUT',
        'use a 12/24-word mnemonic, a 0x seed or a dev URI like //Alice',
      )
    try {
      this.#signer = createAccount({ uri, scheme: this.scheme() })
    } catch {
      // Never echo the secret back.
      throw new CliError('--account is not a valid secret URI or mnemonic', 'ERR_INVALID_INPUT')
    }
    return this.#signer
  }

  // ---- keystore ------------------------------------------------------------------------------

  get keystorePath(): string {
    return resolve(this.str('keystore') || process.env.DDC_KEYSTORE || join(homedir(), '.ddc', 'keys.json'))
  }

  readKeystore(): KeystoreFile {
    const p = this.keystorePath
    if (!existsSync(p)) return { v: 1, buckets: {} }
    const ks = JSON.parse(readFileSync(p, 'utf8')) as KeystoreFile
    if (ks.v !== 1 || typeof ks.buckets !== 'object')
      throw new CliError(`${p} is not a ddc keystore`, 'ERR_INVALID_INPUT')
    return ks
  }

  writeKeystore(ks: KeystoreFile): void {
    const p = this.keystorePath
    mkdirSync(dirname(p), { recursive: true, mode: 0o700 })
    const tmp = `${p}.tmp`
    writeFileSync(tmp, `${JSON.stringify(ks, null, 2)}\n`, { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, p)
  }

  /** Every key the keystore holds, as tree keys. */
  treeKeys(): TreeKey[] {
    const out: TreeKey[] = []
    for (const [bucket, b] of Object.entries(this.readKeystore().buckets)) {
      if (b.master) out.push({ level: 'master', bucket, key: hex32(b.master, 32) })
      for (const k of b.keys ?? [])
        out.push(
          k.level === 'bucket'
            ? { level: 'bucket', bucket, scope: k.scope, epoch: k.epoch, key: hex32(k.key, 32) }
            : {
                level: 'user',
                bucket,
                scope: k.scope,
                epoch: k.epoch,
                owner: hex32(k.owner ?? '', 32),
                key: hex32(k.key, 32),
              },
        )
    }
    return out
  }

  addTreeKey(key: TreeKey): void {
    const ks = this.readKeystore()
    if (key.level === 'master') throw new CliError('grants never carry master keys')
    ks.buckets[key.bucket] ??= {}
    const b = ks.buckets[key.bucket] as NonNullable<KeystoreFile['buckets'][string]>
    b.keys ??= []
    const entry = {
      level: key.level,
      scope: key.scope,
      epoch: key.epoch,
      ...(key.level === 'user' ? { owner: toHex(key.owner) } : {}),
      key: toHex(key.key),
    }
    b.keys = b.keys.filter(
      (k) =>
        !(k.level === entry.level && k.scope === entry.scope && k.epoch === entry.epoch && k.owner === entry.owner),
    )
    b.keys.push(entry)
    this.writeKeystore(ks)
  }

  scopeMap(): ScopeMap {
    const s = this.str('scopes')
    if (!s) return DEFAULT_SCOPES
    try {
      return JSON.parse(s) as ScopeMap
    } catch {
      throw new CliError(
        '--scopes is not valid JSON',
        'ERR_INVALID_INPUT',
        `e.g. --scopes '{"*":{"scopes":{"pii":["email"]},"unmapped":"public"}}'`,
      )
    }
  }

  // ---- clients -------------------------------------------------------------------------------

  async client(opts: { signer?: LocalSigner; chain?: Chain } = {}): Promise<DdcClient> {
    const [{ createClient }, { KeyRing, standardModule }] = await Promise.all([sdk(), crypto()])
    const signer = opts.signer ?? (await this.signer())
    const keys = this.treeKeys()
    return createClient({
      signer,
      ...this.placement(),
      encryption: { module: standardModule({ scopes: this.scopeMap() }), keys: new KeyRing({ keys }) },
      retries: 1,
      ...(opts.chain ? { chain: opts.chain } : {}),
    })
  }

  /** Whether appends to `bucket` are encrypted (a master key for it is in the keystore). */
  encrypts(bucket: string): boolean {
    return Boolean(this.readKeystore().buckets[bucket]?.master)
  }

  /** A client that writes in the clear (no module) — used for buckets without a master key. */
  async plainClient(opts: { chain?: Chain } = {}): Promise<DdcClient> {
    const { createClient } = await sdk()
    return createClient({
      signer: await this.signer(),
      ...this.placement(),
      retries: 1,
      ...(opts.chain ? { chain: opts.chain } : {}),
    })
  }

  /**
   * Every timeline of a bucket. A CLS lists a private bucket only with a capability issued to its account
   * (ERR_UNAUTHORIZED) or not at all (ERR_NOT_SUPPORTED): then each storage node of its topology is asked
   * directly, with requests signed by --account.
   */
  async listTimelines(bucket: string): Promise<TimelineInfo[]> {
    const out: TimelineInfo[] = []
    try {
      for await (const t of (await this.plainClient()).timelines(bucket)) out.push(t)
      return out
    } catch (err) {
      const placement = this.placement()
      const code = (err as { code?: string }).code
      if ((code !== 'ERR_NOT_SUPPORTED' && code !== 'ERR_UNAUTHORIZED') || !('cls' in placement)) throw err
      const res = await fetch(`${placement.cls}/v1/topology`, { signal: AbortSignal.timeout(10_000) })
      const topo = (await res.json()) as {
        clusters?: { nodes?: { endpoint?: string | null; endpoints?: string[] }[] }[]
      }
      const nodes = new Set<string>()
      for (const c of topo.clusters ?? [])
        for (const n of c.nodes ?? []) {
          const url = n.endpoint ?? n.endpoints?.[0]
          if (url) nodes.add(url)
        }
      if (!nodes.size) throw err
      const { createClient } = await sdk()
      const direct = createClient({ signer: await this.signer(), nodes: [...nodes], retries: 1, signReads: 'always' })
      for await (const t of direct.timelines(bucket)) out.push(t)
      return out
    }
  }

  async chain(withSigner: boolean): Promise<Chain> {
    const url = this.chainUrl()
    const { devChainClient } = await chainLib()
    return devChainClient(withSigner ? { url, signer: await this.signer() } : { url })
  }
}

/** A mnemonic (12–24 words), a 0x 32-byte seed or a dev URI (`//Alice`), optionally with a derivation path. */
function plausibleSecret(uri: string): boolean {
  const phrase = uri.split(/\/\/?|\/\/\//)[0]?.trim() ?? ''
  if (phrase === '') return uri.startsWith('/')
  if (/^0x[0-9a-fA-F]{64}$/.test(phrase)) return true
  const words = phrase.split(/\s+/)
  return [12, 15, 18, 21, 24].includes(words.length) && words.every((w) => /^[a-z]+$/.test(w))
}

const hex32 = (h: string, _len: 32): Uint8Array => {
  const m = /^(?:0x)?([0-9a-fA-F]{64})$/.exec(h)
  if (!m) throw new CliError('the keystore holds a malformed key', 'ERR_INVALID_INPUT')
  return new Uint8Array(Buffer.from(m[1] as string, 'hex'))
}

const toHex = (b: Uint8Array): string => `0x${Buffer.from(b).toString('hex')}`

function checkUrl(u: string, flag: string): string {
  try {
    new URL(u)
  } catch {
    throw new CliError(`${flag} must be a URL (http://host:port), got "${u}"`, 'ERR_INVALID_INPUT')
  }
  return u.replace(/\/+$/, '')
}

/** "7d", "12h", "30m", "45s" or plain milliseconds → ms. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(s.trim())
  if (!m) throw new CliError(`"${s}" is not a duration`, 'ERR_INVALID_INPUT', 'use e.g. 30m, 12h, 7d')
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[(m[2] ?? 'ms') as 'ms']
  return Math.round(Number(m[1]) * unit)
}

export function parseInt10(s: string | undefined, flag: string): number | undefined {
  if (s === undefined) return undefined
  if (!/^\d+$/.test(s)) throw new CliError(`${flag} must be a non-negative integer, got "${s}"`, 'ERR_INVALID_INPUT')
  return Number(s)
}

/** A whole, positive number of the chain's smallest unit. */
export function parseAmount(s: string, what: string): bigint {
  if (!/^[1-9]\d*$/.test(s))
    throw new CliError(`${what} must be a positive whole number, got "${s}"`, 'ERR_INVALID_INPUT')
  return BigInt(s)
}

export function parseJson(s: string, what: string): unknown {
  try {
    return JSON.parse(s)
  } catch (err) {
    throw new CliError(`${what} is not valid JSON: ${(err as Error).message}`, 'ERR_INVALID_INPUT')
  }
}
