/**
 * The SDK's HTTP transport: `fetch` with a timeout and the caller's AbortSignal, error bodies revived
 * into typed core errors, and the node/request named in every error's details. Browser-safe.
 */
import { type DdcError, errorFromJson, UnavailableError } from '@ddc/core'

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

function withContext(err: DdcError, ctx: Record<string, unknown>): DdcError {
  Object.defineProperty(err, 'details', { value: { ...err.details, ...ctx }, enumerable: true })
  return err
}

/** One HTTP request; resolves with the 2xx response, throws a typed error otherwise. */
export async function call(url: string, init: CallInit = {}, fetchFn: Fetch = globalThis.fetch): Promise<Response> {
  const method = init.method ?? (init.json !== undefined || init.raw ? 'POST' : 'GET')
  const signals = [AbortSignal.timeout(init.timeoutMs ?? 10_000)]
  if (init.signal) signals.push(init.signal)
  const headers: Record<string, string> = { ...init.headers }
  let body: BodyInit | undefined
  if (init.raw) {
    body = init.raw as unknown as BodyInit
    headers['content-type'] = init.contentType ?? CBOR
  } else if (init.json !== undefined) {
    body = JSON.stringify(init.json)
    headers['content-type'] = 'application/json'
  }
  if (init.accept) headers.accept = init.accept
  const node = new URL(url).origin
  const ctx = { node, method, url }
  let res: Response
  try {
    res = await fetchFn(url, { method, headers, body, signal: AbortSignal.any(signals) })
  } catch (err) {
    if (init.signal?.aborted) throw init.signal.reason ?? err
    throw new UnavailableError(`${method} ${url} failed: ${(err as Error).message}`, { cause: err, details: ctx })
  }
  if (res.ok) return res
  let json: Record<string, unknown> = {}
  try {
    json = (await res.json()) as Record<string, unknown>
  } catch {
    // not JSON: a generic error below
  }
  const err = json.code
    ? errorFromJson(json)
    : new UnavailableError(`${method} ${url} answered HTTP ${res.status}`, { details: {} })
  throw withContext(err, { ...ctx, status: res.status })
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
