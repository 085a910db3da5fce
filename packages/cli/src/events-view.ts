/** How events are shown: one JSON-safe object per event, or a table. */
import type { ReadEvent } from '@ddc/sdk'
import { table } from './output.js'

export const eventView = (e: ReadEvent) => ({
  seq: e.seq,
  cid: e.cid.toString(),
  id: e.id,
  type: e.type,
  ts: e.ts,
  owner: e.owner,
  signer: e.signer,
  data: e.data,
  opened: e.opened,
  locked: e.locked,
  redacted: e.redacted,
})

export function eventTable(es: ReadEvent[]): string {
  return table(
    ['seq', 'type', 'time', 'cid', 'data'],
    es.map((e) => [
      e.seq,
      e.type,
      new Date(e.ts).toISOString(),
      e.cid.toString(),
      e.redacted
        ? '(erased)'
        : `${JSON.stringify(e.data)}${e.locked.length ? `  [locked: ${e.locked.map((l) => `${l.scope}:${l.reason}`).join(', ')}]` : ''}`,
    ]),
  )
}
