/**
 * A push source as an async iterable: subscriptions (blocks, anchors) push into it, consumers
 * `for await` over it, and either side can stop it — the consumer by breaking out or aborting its
 * signal, the producer by ending it (with an error if the source failed). `onClose` runs once,
 * whichever side stopped first, so sockets and timers are released.
 */

export interface Feed<T> extends AsyncIterable<T> {
  push(value: T): void
  end(error?: unknown): void
  readonly closed: boolean
}

export function createFeed<T>(opts: { signal?: AbortSignal; onClose?: () => void } = {}): Feed<T> {
  const queue: T[] = []
  let waiter: ((r: IteratorResult<T>) => void) | undefined
  let fail: ((err: unknown) => void) | undefined
  let closed = false
  let error: unknown

  const close = () => {
    if (closed) return
    closed = true
    opts.signal?.removeEventListener('abort', onAbort)
    opts.onClose?.()
  }
  // Aborting means "stop now": what is still queued is dropped, unlike a producer's end().
  const onAbort = () => {
    queue.length = 0
    end()
  }

  function end(err?: unknown) {
    if (closed) return
    error = err
    close()
    if (waiter) {
      const [w, f] = [waiter, fail]
      waiter = fail = undefined
      if (err !== undefined) f!(err)
      else w({ value: undefined, done: true })
    }
  }

  if (opts.signal?.aborted) queueMicrotask(onAbort)
  else opts.signal?.addEventListener('abort', onAbort, { once: true })

  return {
    get closed() {
      return closed
    },
    push(value) {
      if (closed) return
      if (waiter) {
        const w = waiter
        waiter = fail = undefined
        w({ value, done: false })
      } else queue.push(value)
    },
    end,
    [Symbol.asyncIterator]() {
      return {
        next(): Promise<IteratorResult<T>> {
          if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false })
          if (closed)
            return error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error)
          return new Promise((resolve, reject) => {
            waiter = resolve
            fail = reject
          })
        },
        return(): Promise<IteratorResult<T>> {
          queue.length = 0
          end()
          return Promise.resolve({ value: undefined, done: true })
        },
      }
    },
  }
}
