/**
 * Where a timeline lives. With a CLS: `GET /v1/locate/{bucket}/{owner}` (serving replicas first, then
 * the timeline's home nodes not already listed), or with `placement: 'topology'` the CLS's
 * `/v1/topology` document fetched once and `replicaSet` computed here by the same rendezvous rule (no
 * request per timeline: what an app server writing for many users wants). With explicit node URLs:
 * `replicaSet` over those URLs (each URL is its own node id). Answers are cached for `ttlMs` and
 * dropped (with the topology) when every replica failed.
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
  /** With a CLS: ask it per timeline ('locate', default) or compute from its cached topology ('topology'). */
  placement?: 'locate' | 'topology'
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

interface TopologyDoc {
  clusters: { id: string; replicationFactor: number; nodes: { id: string; endpoints: string[]; serving: boolean }[] }[]
}

const trim = (u: string) => u.replace(/\/+$/, '')

export class Locator {
  readonly #init: LocatorInit
  readonly #cache = new Map<string, { at: number; replicas: Replica[] }>()
  #topology: { at: number; doc: Promise<TopologyDoc> } | undefined
  /** bucket → cluster id (a bucket never changes cluster). */
  readonly #clusterOf = new Map<string, string>()

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
    const replicas = !this.cls
      ? this.#local(bucket, owner)
      : this.#init.placement === 'topology'
        ? await this.#fromTopology(bucket, owner, signal)
        : await this.#fromCls(bucket, owner, signal)
    this.#cache.set(key, { at: Date.now(), replicas })
    return replicas
  }

  invalidate(bucket: string, owner: Uint8Array): void {
    this.#cache.delete(`${bucket}|${toHex(owner)}`)
    this.#topology = undefined
  }

  #local(bucket: string, owner: Uint8Array): Replica[] {
    const nodes = this.nodes
    return replicaSet(bucket, owner, nodes, Math.min(nodes.length, this.#init.replicationFactor ?? 3))
  }

  #get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const init: CallInit = { timeoutMs: this.#init.timeoutMs ?? 10_000 }
    if (signal) init.signal = signal
    return callJson<T>(`${this.cls}${path}`, init, this.#init.fetch)
  }

  async #fromCls(bucket: string, owner: Uint8Array, signal?: AbortSignal): Promise<Replica[]> {
    const loc = await this.#get<Location>(`/v1/locate/${encodeURIComponent(bucket)}/${toAddress(owner)}`, signal)
    return merged([...loc.replicas, ...loc.home].map((n) => ({ id: n.id, url: n.endpoint ?? n.endpoints[0] })))
  }

  /** The CLS's rule, computed here: replicas over the serving nodes, then the home set over all of them. */
  async #fromTopology(bucket: string, owner: Uint8Array, signal?: AbortSignal): Promise<Replica[]> {
    const now = Date.now()
    if (!this.#topology || now - this.#topology.at >= (this.#init.ttlMs ?? 30_000)) {
      const doc = this.#get<TopologyDoc>('/v1/topology', signal)
      this.#topology = { at: now, doc }
      doc.catch(() => {
        if (this.#topology?.doc === doc) this.#topology = undefined
      })
    }
    const doc = await this.#topology.doc
    let clusterId = this.#clusterOf.get(bucket)
    if (clusterId === undefined) {
      const d = await this.#get<{ bucket: { clusterId: string } }>(`/v1/buckets/${encodeURIComponent(bucket)}`, signal)
      clusterId = d.bucket.clusterId
      this.#clusterOf.set(bucket, clusterId)
    }
    const cluster = doc.clusters.find((c) => c.id === clusterId)
    if (!cluster) throw new NotConfiguredError(`the CLS topology has no cluster ${clusterId} (bucket ${bucket})`)
    const nodes = cluster.nodes.map((n) => ({ id: n.id, url: n.endpoints[0], serving: n.serving }))
    const rf = cluster.replicationFactor
    const serving = nodes.filter((n) => n.serving)
    return merged([
      ...(serving.length ? replicaSet(bucket, owner, serving, rf) : []),
      ...(nodes.length ? replicaSet(bucket, owner, nodes, rf) : []),
    ])
  }
}

/** First occurrence of each node id, with an endpoint. */
function merged(nodes: { id: string; url: string | null | undefined }[]): Replica[] {
  const out: Replica[] = []
  for (const n of nodes) if (n.url && !out.some((r) => r.id === n.id)) out.push({ id: n.id, url: trim(n.url) })
  return out
}
