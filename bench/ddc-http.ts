/** The two storage-node calls the harness times: an append request and a tail read (DAG-CBOR). */
import { toAddress } from '@ddc/core'

export const CBOR = 'application/vnd.ipld.dag-cbor'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** POST /events; resolves when the node acknowledged (after its fsync), throws HttpError otherwise. */
export async function postEvents(url: string, body: Uint8Array): Promise<void> {
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    headers: { 'content-type': CBOR },
    body: body as unknown as BodyInit,
  })
  const text = await res.text()
  if (!res.ok) {
    let code = `HTTP_${res.status}`
    try {
      code = (JSON.parse(text) as { code?: string }).code ?? code
    } catch {
      // not JSON
    }
    throw new HttpError(res.status, code, `append refused: ${res.status} ${text.slice(0, 200)}`)
  }
}

/** The newest `limit` events of a timeline, as bytes; returns the time it took in ms. */
export async function timeTail(url: string, bucket: string, owner: Uint8Array, limit = 100): Promise<number> {
  const t = performance.now()
  const res = await fetch(
    `${url}/buckets/${encodeURIComponent(bucket)}/timelines/${toAddress(owner)}/events?order=desc&limit=${limit}&format=cbor`,
    { headers: { accept: CBOR } },
  )
  await res.arrayBuffer()
  if (!res.ok) throw new HttpError(res.status, `HTTP_${res.status}`, `tail read failed: ${res.status}`)
  return performance.now() - t
}
