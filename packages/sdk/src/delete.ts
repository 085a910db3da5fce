/**
 * Deletion (DESIGN.md "Event and timeline"): a signed tombstone event (core TOMBSTONE_TYPE) whose
 * `pub.erase` names earlier envelopes of the same timeline, or "all". Nodes erase those bodies in the
 * same commit; envelopes and links stay verifiable and reads report `redacted`. Tombstones are never
 * encrypted: nodes must read `pub.erase`.
 */
import { type CID, parseCid, TOMBSTONE_TYPE } from '@ddc/core'
import { type AppendOptions, appendBatch } from './append.js'
import type { Context } from './context.js'
import type { AppendedEvent } from './hooks.js'

export async function eraseEvents(
  ctx: Context,
  bucket: string,
  what: readonly (CID | string)[] | 'all',
  opts: AppendOptions = {},
): Promise<AppendedEvent> {
  const erase = what === 'all' ? 'all' : what.map((c) => parseCid(c))
  const [r] = await appendBatch(ctx, bucket, [{ type: TOMBSTONE_TYPE, data: { erase } }], opts)
  return r!
}
