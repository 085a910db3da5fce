/**
 * JSON over HTTP for the dev chain client, with the server's `{code, message, details}` errors
 * revived into the same typed errors. Kept here (not taken from @ddc/service) because this package
 * also runs in browsers, where the service kit's Fastify dependencies do not belong.
 */
import { errorFromJson, UnavailableError } from '@ddc/core'

export interface JsonRequest {
  method?: 'GET' | 'POST'
  body?: unknown
  signal?: AbortSignal
  timeoutMs?: number
}

export async function fetchJson<T>(url: string, req: JsonRequest = {}): Promise<T> {
  const signals = [AbortSignal.timeout(req.timeoutMs ?? 30_000)]
  if (req.signal) signals.push(req.signal)
  const method = req.method ?? (req.body === undefined ? 'GET' : 'POST')
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers: req.body === undefined ? {} : { 'content-type': 'application/json' },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.any(signals),
    })
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason ?? err
    throw new UnavailableError(`${method} ${url} failed: ${(err as Error).message}`, { cause: err, details: { url } })
  }
  let json: unknown
  try {
    json = await res.json()
  } catch (err) {
    throw new UnavailableError(`${method} ${url} answered HTTP ${res.status} without JSON`, {
      cause: err,
      details: { url, status: res.status },
    })
  }
  if (!res.ok) {
    const body = (json ?? {}) as { code?: unknown; message?: unknown; details?: unknown }
    throw body.code
      ? errorFromJson(body)
      : new UnavailableError(`${url} answered HTTP ${res.status}`, { details: { url, status: res.status } })
  }
  return json as T
}
