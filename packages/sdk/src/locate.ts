/**
 * Where a timeline lives. With a CLS: `GET /v1/locate/{bucket}/{owner}` (serving replicas first, then
 * the timeline's home nodes not already listed). With explicit node URLs: `replicaSet` from
 * @ddc/cluster over those URLs (each URL is its own node id), the same rendezvous rule the CLS uses.
 * Answers are cached for `ttlMs` and dropped when every replica failed.
 */
import { replicaSet } from '@ddc/cluster'
import { toAddress, toHex } from '@ddc/core'
import { NotConfiguredError } from './errors.js'
import { type CallInit, callJson, type Fetch } from './transport.js'

export interface Replica {
  /** Node id (on-chain id with a CLS, the URL with explicit nodes). */
  id: string
  /** Base URL, no trailing slash. */
  url: string
}

export interface LocatorInit {
  nodes?: readonly string[]
  cls?: string
  replicationFactor?: number
  ttlMs?: number
  timeoutMs?: number
  fetch?: Fetch
}

interface NodeView {
  id: string
  endpoint: string | null
  endpoints: string[]
}

interface Location {
  replicas: NodeView[]
  home: NodeView[]
}

const trim = (u: string) => u.replace(/\/+$/, '')

export class Locator {
  readonly #init: LocatorInit
  readonly #cache = new Map<string, { at: number; replicas: Replica[] }>()

  constructor(init: LocatorInit) {
    if (!init.nodes?.length && !init.cls) throw new NotConfiguredError('createClient needs `nodes` (URLs) or `cls`')
    this.#init = init
  }

  get cls(): string | undefined {
    return this.#init.cls ? trim(this.#init.cls) : undefined
  }

  /** Every configured node (explicit mode only). */
  get nodes(): Replica[] {
    return (this.#init.nodes ?? []).map((u) => ({ id: trim(u), url: trim(u) }))
  }

  /** The ordered replica set of (bucket, owner): write to the first, read from any. */
  async replicas(bucket: string, owner: Uint8Array, signal?: AbortSignal): Promise<Replica[]> {
    const key = `${bucket}|${toHex(owner)}`
    const hit = this.#cache.get(key)
    if (hit && Date.now() - hit.at < (this.#init.ttlMs ?? 30_000)) return hit.replicas
    const replicas = this.cls ? await this.#fromCls(bucket, owner, signal) : this.#local(bucket, owner)
    this.#cache.set(key, { at: Date.now(), replicas })
    return replicas
  }

  invalidate(bucket: string, owner: Uint8Array): void {
    this.#cache.delete(`${bucket}|${toHex(owner)}`)
  }

  #local(bucket: string, owner: Uint8Array): Replica[] {
    const nodes = this.nodes
    return replicaSet(bucket, owner, nodes, Math.min(nodes.length, this.#init.replicationFactor ?? 3))
  }

  async #fromCls(bucket: string, owner: Uint8Array, signal?: AbortSignal): Promise<Replica[]> {
    const init: CallInit = { timeoutMs: this.#init.timeoutMs ?? 10_000 }
    if (signal) init.signal = signal
    const loc = await callJson<Location>(
      `${this.cls}/v1/locate/${encodeURIComponent(bucket)}/${toAddress(owner)}`,
      init,
      this.#init.fetch,
    )
    const out: Replica[] = []
    for (const n of [...loc.replicas, ...loc.home]) {
      const url = n.endpoint ?? n.endpoints[0]
      if (url && !out.some((r) => r.id === n.id)) out.push({ id: n.id, url: trim(url) })
    }
    return out
  }
}
