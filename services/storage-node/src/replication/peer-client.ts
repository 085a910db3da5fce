/**
 * Calls from this node to its peers, each signed with the node key (core signRequest) so the peer
 * knows a cluster member is asking: pushes of verified appends, timeline heads, event ranges and
 * single blocks for repair. Network failures come back as ERR_UNAVAILABLE (core's HTTP client).
 */
import { type CID, request, type Signer, signRequest } from '@ddc/core'
import type { PeerNode } from './topology.js'

export const CBOR = 'application/vnd.ipld.dag-cbor'

export interface RemoteHead {
  /** 0x-hex AccountId32. */
  owner: string
  seq: number
  cid: string
}

export interface PeerClient {
  /** Stores an append (DAG-CBOR append body) on `peer`; resolves once it is durable there. */
  push(peer: PeerNode, body: Uint8Array): Promise<void>
  /** Forwards a client's append to the peer acting as first replica; answers its outcome. */
  forward(peer: PeerNode, body: Uint8Array, exclude: readonly string[]): Promise<unknown>
  heads(peer: PeerNode, bucket: string, after: string | undefined, limit: number): Promise<RemoteHead[]>
  buckets(peer: PeerNode): Promise<string[]>
  /** Events [from, to] of a timeline in the DAG-CBOR append form ({events, caps?}); empty list past the head. */
  events(peer: PeerNode, bucket: string, owner: string, from: number, to: number): Promise<Uint8Array>
  block(peer: PeerNode, cid: CID): Promise<Uint8Array | undefined>
}

export const EXCLUDE_HEADER = 'x-ddc-not-first'

export function createPeerClient(init: { signer: Signer; timeoutMs: number }): PeerClient {
  const signed = async (method: string, url: string, body?: Uint8Array) => {
    const headers = await signRequest(init.signer, { method, url, ...(body ? { body } : {}) })
    return request(url, {
      method,
      headers,
      timeoutMs: init.timeoutMs,
      ...(body ? { raw: body, contentType: CBOR } : {}),
    })
  }
  const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer())

  return {
    async push(peer, body) {
      await (await signed('POST', `${peer.url}/replication/events`, body)).arrayBuffer()
    },
    async forward(peer, body, exclude) {
      const res = await request(`${peer.url}/events`, {
        method: 'POST',
        raw: body,
        contentType: CBOR,
        headers: { [EXCLUDE_HEADER]: exclude.join(',') },
        timeoutMs: init.timeoutMs,
      })
      return res.json()
    },
    async heads(peer, bucket, after, limit) {
      const q = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) })
      const res = await signed('GET', `${peer.url}/replication/buckets/${encodeURIComponent(bucket)}/heads?${q}`)
      return ((await res.json()) as { heads: RemoteHead[] }).heads
    },
    async buckets(peer) {
      const res = await request(`${peer.url}/buckets`, { timeoutMs: init.timeoutMs })
      return ((await res.json()) as { buckets: { id: string }[] }).buckets.map((b) => b.id)
    },
    async events(peer, bucket, owner, from, to) {
      const url = `${peer.url}/replication/buckets/${encodeURIComponent(bucket)}/timelines/${owner}/events?from=${from}&to=${to}`
      return bytes(await signed('GET', url))
    },
    async block(peer, cid) {
      try {
        return await bytes(await signed('GET', `${peer.url}/replication/blocks/${cid}`))
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_NOT_FOUND') return undefined
        throw err
      }
    },
  }
}
