/**
 * A small JSON-over-HTTP client (fetch only, so browsers too) for calls between services and to
 * them: timeouts through AbortSignal, and error bodies revived into the same typed DdcErrors the
 * server threw.
 */
import { type DdcError, errorFromJson, UnavailableError } from './errors.js'

export interface RequestOptions {
  method?: string
  body?: unknown
  /** Raw body (e.g. DAG-CBOR or CAR) sent as is. */
  raw?: Uint8Array
  contentType?: string
  headers?: Record<string, string>
  accept?: string
  timeoutMs?: number
  signal?: AbortSignal
  /** Another fetch (tests, instrumented clients). */
  fetch?: typeof globalThis.fetch
}

/** Names the node and request in an error's details, so a caller can tell which call failed. */
function withContext(err: DdcError, ctx: Record<string, unknown>): DdcError {
  Object.defineProperty(err, 'details', { value: { ...err.details, ...ctx }, enumerable: true })
  return err
}

export async function requestJson<T = unknown>(url: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(url, opts)
  return (await res.json()) as T
}

export async function request(url: string, opts: RequestOptions = {}): Promise<Response> {
  const signals = [AbortSignal.timeout(opts.timeoutMs ?? 10_000)]
  if (opts.signal) signals.push(opts.signal)
  const headers: Record<string, string> = { ...opts.headers }
  let body: BodyInit | undefined
  if (opts.raw) {
    body = opts.raw as unknown as BodyInit
    headers['content-type'] = opts.contentType ?? 'application/octet-stream'
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers['content-type'] = 'application/json'
  }
  if (opts.accept) headers.accept = opts.accept
  const method = opts.method ?? (body ? 'POST' : 'GET')
  const ctx = { node: new URL(url).origin, method, url }
  let res: Response
  try {
    res = await (opts.fetch ?? globalThis.fetch)(url, { method, headers, body, signal: AbortSignal.any(signals) })
  } catch (err) {
    // The caller's own abort is not an outage: hand back its reason.
    if (opts.signal?.aborted) throw opts.signal.reason ?? err
    throw new UnavailableError(`${method} ${url} failed: ${(err as Error).message}`, { cause: err, details: ctx })
  }
  if (res.ok) return res
  let json: Record<string, unknown> = {}
  try {
    json = (await res.json()) as Record<string, unknown>
  } catch {
    // non-JSON error body: fall through to a generic error
  }
  const err: DdcError = json.code
    ? errorFromJson(json)
    : new UnavailableError(`${method} ${url} answered HTTP ${res.status}`)
  throw withContext(err, { ...ctx, status: res.status })
}
