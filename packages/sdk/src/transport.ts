/**
 * The SDK's HTTP transport over core's `request`: `fetch` with a timeout and the caller's AbortSignal,
 * error bodies revived into typed core errors, and the node/request named in every error's details.
 * Browser-safe.
 */
import { request } from '@ddc/core'

export const CBOR = 'application/vnd.ipld.dag-cbor'

export interface CallInit {
  method?: string
  /** JSON body. */
  json?: unknown
  /** Raw body (DAG-CBOR …). */
  raw?: Uint8Array
  contentType?: string
  headers?: Record<string, string>
  accept?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export type Fetch = typeof globalThis.fetch

/** One HTTP request (core's `request`); resolves with the 2xx response, throws a typed error otherwise. */
export function call(url: string, init: CallInit = {}, fetchFn?: Fetch): Promise<Response> {
  return request(url, {
    ...(init.method ? { method: init.method } : init.json !== undefined || init.raw ? { method: 'POST' } : {}),
    ...(init.json !== undefined ? { body: init.json } : {}),
    ...(init.raw ? { raw: init.raw, contentType: init.contentType ?? CBOR } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.accept ? { accept: init.accept } : {}),
    ...(init.timeoutMs !== undefined ? { timeoutMs: init.timeoutMs } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
    ...(fetchFn ? { fetch: fetchFn } : {}),
  })
}

export async function callJson<T>(url: string, init: CallInit = {}, fetchFn?: Fetch): Promise<T> {
  return (await (await call(url, init, fetchFn)).json()) as T
}

export async function callBytes(url: string, init: CallInit = {}, fetchFn?: Fetch): Promise<Uint8Array> {
  return new Uint8Array(await (await call(url, init, fetchFn)).arrayBuffer())
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const t = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/** Standard base64 (what the services' JSON bodies carry), without Node's Buffer. */
export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000))
  return btoa(s)
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text)
  const out = new Uint8Array(s.length)
  for (let k = 0; k < s.length; k++) out[k] = s.charCodeAt(k)
  return out
}
