/**
 * The rows of the table: what each measures, its unit, which way is better and issue #9's target.
 * Scenarios fill rows by id; rows nobody filled are left out.
 */

export interface RowSpec {
  id: string
  label: string
  unit: 'ev/s' | 'ms' | 'B/ev' | 'MB' | '×'
  better: 'higher' | 'lower'
  target?: number
}

export function rowCatalogue(o: { eventBytes: number; longLength: number; rssEvents: number }): RowSpec[] {
  const long = o.longLength.toLocaleString('en')
  return [
    { id: 'ingest.sr25519', label: 'append, 1 node, per-event sr25519', unit: 'ev/s', better: 'higher', target: 4000 },
    { id: 'ingest.ed25519', label: 'append, 1 node, per-event ed25519', unit: 'ev/s', better: 'higher', target: 8000 },
    { id: 'ingest.batch100', label: 'append, batches of 100', unit: 'ev/s', better: 'higher' },
    { id: 'ingest.batch', label: 'append, batch-signed (1,000)', unit: 'ev/s', better: 'higher', target: 25000 },
    { id: 'cluster.per-event', label: '3 nodes RF=3 W=2, per-event', unit: 'ev/s', better: 'higher', target: 1500 },
    { id: 'cluster.batch', label: '3 nodes RF=3 W=2, batch-signed', unit: 'ev/s', better: 'higher', target: 8000 },
    { id: 'replicate', label: 'verified replication to a 2nd copy', unit: 'ev/s', better: 'higher' },
    { id: 'read.verify', label: 'read + verify', unit: 'ev/s', better: 'higher' },
    { id: 'read.decrypt', label: 'read + verify + decrypt', unit: 'ev/s', better: 'higher', target: 20000 },
    { id: 'tail.1k', label: 'tail 100 at length 1k (p50)', unit: 'ms', better: 'lower' },
    { id: 'tail.long', label: `tail 100 at length ${long} (p50)`, unit: 'ms', better: 'lower' },
    { id: 'tail.1M', label: 'tail 100 at length 1M (p50)', unit: 'ms', better: 'lower' },
    { id: 'tail.ratio', label: `tail ratio, longest / 1k`, unit: '×', better: 'lower', target: 2 },
    { id: 'latency.p50', label: 'append p50 at 50% of peak', unit: 'ms', better: 'lower' },
    { id: 'latency.p99', label: 'append p99 at 50% of peak', unit: 'ms', better: 'lower', target: 25 },
    {
      id: 'storage.bytes',
      label: `bytes stored per ${o.eventBytes} B event`,
      unit: 'B/ev',
      better: 'lower',
      // "≤ 1.3 KB stored per 1 KB event"
      target: Math.round(1.3 * o.eventBytes),
    },
    {
      id: 'storage.rss',
      label: `node RSS after ${o.rssEvents.toLocaleString('en')} events`,
      unit: 'MB',
      better: 'lower',
      ...(o.rssEvents >= 1_000_000 ? { target: 300 } : {}),
    },
  ]
}
