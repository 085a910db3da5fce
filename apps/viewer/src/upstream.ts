/**
 * The viewer's view of the network: the dev chain, the CLS and the storage nodes, each read over HTTP
 * with a timeout. Errors keep the upstream's typed code (404 stays 404) and name the URL that failed.
 */
import { type Signer, signRequest } from '@ddc/core'
import { request, statusOf } from '@ddc/service'

export interface UpstreamInit {
  chain: string
  cls: string
  storageNodes?: string[]
  timeoutMs?: number
  /** Signs storage-node reads that a node refuses unsigned (private buckets). */
  signer?: Signer
}

interface NodeLike {
  endpoint?: string
  endpoints?: string[]
}

const trim = (u: string) => u.replace(/\/+$/, '')
const endpointOf = (n: NodeLike) => n.endpoint ?? n.endpoints?.[0]

export class Upstream {
  readonly chainUrl: string
  readonly clsUrl: string
  readonly storageNodes: string[]
  readonly timeoutMs: number
  readonly signer: Signer | undefined

  constructor(init: UpstreamInit) {
    this.chainUrl = trim(init.chain)
    this.clsUrl = trim(init.cls)
    this.storageNodes = (init.storageNodes ?? []).map(trim)
    this.timeoutMs = init.timeoutMs ?? 5000
    this.signer = init.signer
  }

  async get<T = unknown>(url: string): Promise<T> {
    const res = await request(url, { timeoutMs: this.timeoutMs, headers: { accept: 'application/json' } })
    return (await res.json()) as T
  }

  /** A storage-node read: unsigned first; on 401, signed with the viewer's account when it has one. */
  async node<T = unknown>(url: string): Promise<T> {
    try {
      return await this.get<T>(url)
    } catch (err) {
      if (!this.signer || statusOf(String((err as { code?: string }).code)) !== 401) throw err
      const headers = await signRequest(this.signer, { method: 'GET', url })
      const res = await request(url, { timeoutMs: this.timeoutMs, headers: { accept: 'application/json', ...headers } })
      return (await res.json()) as T
    }
  }

  chain<T = unknown>(path: string): Promise<T> {
    return this.get<T>(this.chainUrl + path)
  }

  cls<T = unknown>(path: string): Promise<T> {
    return this.get<T>(this.clsUrl + path)
  }

  /** Storage nodes to ask: the configured ones, else the timeline's replicas (when known), else every node. */
  async nodes(bucket?: string, owner?: string): Promise<string[]> {
    if (this.storageNodes.length > 0) return this.storageNodes
    const found: string[] = []
    if (bucket && owner) {
      try {
        const at = await this.cls<{ replicas?: NodeLike[]; home?: NodeLike[] }>(
          `/v1/locate/${encodeURIComponent(bucket)}/${encodeURIComponent(owner)}`,
        )
        for (const n of [...(at.replicas ?? []), ...(at.home ?? [])]) {
          const e = endpointOf(n)
          if (e) found.push(trim(e))
        }
      } catch {
        // fall back to the whole topology
      }
    }
    const topo = await this.cls<{ clusters?: { nodes?: NodeLike[] }[] }>('/v1/topology')
    for (const c of topo.clusters ?? [])
      for (const n of c.nodes ?? []) {
        const e = endpointOf(n)
        if (e) found.push(trim(e))
      }
    return [...new Set(found)]
  }
}
