/** The two storage-node calls the harness times: an append request and a tail read (DAG-CBOR). */
import { request, toAddress } from '@ddc/core'

export const CBOR = 'application/vnd.ipld.dag-cbor'

/**
 * POST /events; resolves when the node acknowledged (after its fsync). A refusal throws the node's
 * typed error (its `code`), an unreachable node ERR_UNAVAILABLE.
 */
export async function postEvents(url: string, body: Uint8Array): Promise<void> {
  const res = await request(`${url}/events`, { method: 'POST', raw: body, contentType: CBOR, timeoutMs: 120_000 })
  await res.arrayBuffer()
}

/** The newest `limit` events of a timeline, as bytes; returns the time it took in ms. */
export async function timeTail(url: string, bucket: string, owner: Uint8Array, limit = 100): Promise<number> {
  const t = performance.now()
  const res = await request(
    `${url}/buckets/${encodeURIComponent(bucket)}/timelines/${toAddress(owner)}/events?order=desc&limit=${limit}&format=cbor`,
    { headers: { accept: CBOR } },
  )
  await res.arrayBuffer()
  return performance.now() - t
}
