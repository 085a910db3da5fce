/** Listening and graceful shutdown for a service process (`services/<name>/src/main.ts`). */
import type { Service } from './server.js'

export interface RunOptions {
  host?: string
  port: number
  /** Called after the HTTP server has stopped accepting requests (flush stores, stop timers). */
  onClose?: () => Promise<void> | void
}

/** Starts listening; on SIGINT/SIGTERM drains requests, runs `onClose`, and exits. Returns the URL. */
export async function runService(app: Service, opts: RunOptions): Promise<string> {
  const url = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port })
  let closing = false
  const stop = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const timer = setTimeout(() => process.exit(1), 10_000)
    timer.unref()
    try {
      await app.close()
      await opts.onClose?.()
      process.exit(0)
    } catch (err) {
      app.log.error({ err }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
  return url
}
