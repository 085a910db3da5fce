/**
 * Following a timeline: an async iterable of verified, decrypted events as they are appended. It
 * polls the timeline's replicas for events after the last one seen (one small request per interval
 * while nothing is new; a page at a time when there is), so it works against any node. Stop it with
 * the AbortSignal or by leaving the `for await` loop.
 */
import { verifyLink } from '@ddc/core'
import type { Context } from './context.js'
import { blame, type CheckedEvent, openEvent, type ReadEvent } from './decrypt.js'
import { checkedEvents, readHead } from './read.js'
import { sleep } from './transport.js'

export interface FollowOptions {
  /** First seq to deliver (default: whatever comes after the current head). */
  from?: number
  /** Wait between polls while nothing is new (default 500 ms). */
  intervalMs?: number
  pageSize?: number
  signal?: AbortSignal
}

export async function* followEvents(
  ctx: Context,
  bucket: string,
  owner: Uint8Array,
  opts: FollowOptions = {},
): AsyncGenerator<ReadEvent> {
  const signal = opts.signal ? { signal: opts.signal } : {}
  let next = opts.from ?? ((await readHead(ctx, bucket, owner, opts.signal))?.seq ?? -1) + 1
  let last: CheckedEvent | undefined
  for (;;) {
    let got = 0
    for await (const ev of checkedEvents(ctx, bucket, owner, {
      from: next,
      pageSize: opts.pageSize ?? 100,
      ...signal,
    })) {
      // Pages of different polls must link up too.
      if (last && ev.envelope.seq === last.envelope.seq + 1) {
        try {
          verifyLink(last, ev.envelope)
        } catch (err) {
          blame(err, { node: ev.node, cid: ev.cid.toString(), seq: ev.envelope.seq })
        }
      }
      last = ev
      next = ev.envelope.seq + 1
      got++
      const out = await ctx.hooks.afterRead(await openEvent(ev, ctx.modules, ctx.keys))
      if (out) yield out
    }
    if (got === 0) await sleep(opts.intervalMs ?? 500, opts.signal)
  }
}
