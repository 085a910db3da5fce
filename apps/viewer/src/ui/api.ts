/** The viewer's own /api (same origin): JSON or a readable error. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message)
  }
}

/** Upstream JSON, rendered defensively (shapes belong to the chain, CLS and nodes). */
// biome-ignore lint/suspicious/noExplicitAny: untyped upstream JSON, every field is read with a fallback
export type Obj = Record<string, any>

export async function api<T = Obj>(path: string): Promise<T> {
  let res: Response
  try {
    res = await fetch(`/api${path}`, { headers: { accept: 'application/json' } })
  } catch (err) {
    throw new ApiError(`the viewer did not answer: ${(err as Error).message}`, 0)
  }
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string }
  if (!res.ok) throw new ApiError(body.message ?? `HTTP ${res.status}`, res.status, body.code)
  return body as T
}

export const enc = encodeURIComponent
