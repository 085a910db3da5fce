/**
 * An HTTP proxy for tests of what readers do with a lying node: forwards every request to `target`
 * (or where it routes the path) and passes each answer through `rewrite` before it leaves.
 */
import { createServer } from 'node:http'

export type Rewrite = (path: string, body: Uint8Array, status: number) => Uint8Array

export interface TestProxy {
  url: string
  close(): Promise<void>
}

export async function rewritingProxy(
  target: string | ((path: string) => string),
  rewrite: Rewrite,
): Promise<TestProxy> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length'),
    ) as Record<string, string>
    const path = req.url ?? '/'
    const base = typeof target === 'string' ? target : target(path)
    const up = await fetch(`${base}${path}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    })
    const body = rewrite(path, new Uint8Array(await up.arrayBuffer()), up.status)
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/octet-stream' })
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
