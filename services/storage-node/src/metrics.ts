/** Storage-node metrics, registered in the service's own Prometheus registry (served at /metrics). */
import { Counter, Histogram, type Registry } from 'prom-client'
import type { CommitStats } from './store/group-commit.js'

export interface NodeMetrics {
  eventsAppended: Counter
  eventsDuplicate: Counter
  bytesStored: Counter
  bytesRead: Counter
  signaturesVerified: Counter
  verifySeconds: Histogram
  commitEvents: Histogram
  commitRequests: Histogram
  commitSeconds: Histogram
  refused: Counter<'code'>
  onCommit(s: CommitStats): void
}

export function createNodeMetrics(registry: Registry): NodeMetrics {
  const registers = [registry]
  const m = {
    eventsAppended: new Counter({ name: 'ddc_node_events_appended_total', help: 'Events stored', registers }),
    eventsDuplicate: new Counter({
      name: 'ddc_node_events_duplicate_total',
      help: 'Events sent again that were already stored (retries)',
      registers,
    }),
    bytesStored: new Counter({
      name: 'ddc_node_bytes_stored_total',
      help: 'Envelope and body bytes stored',
      registers,
    }),
    bytesRead: new Counter({ name: 'ddc_node_bytes_read_total', help: 'Block bytes served', registers }),
    signaturesVerified: new Counter({
      name: 'ddc_node_signatures_verified_total',
      help: 'Signature checks performed (batches and repeats are checked once)',
      registers,
    }),
    verifySeconds: new Histogram({
      name: 'ddc_node_verify_seconds',
      help: 'Time to decode and verify one append request on the worker pool',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    commitEvents: new Histogram({
      name: 'ddc_node_group_commit_events',
      help: 'Events per group commit',
      buckets: [1, 10, 100, 1000, 5000, 20000],
      registers,
    }),
    commitRequests: new Histogram({
      name: 'ddc_node_group_commit_requests',
      help: 'Append requests per group commit',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'ddc_node_group_commit_seconds',
      help: 'Time to write and fsync one group commit',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
      registers,
    }),
    refused: new Counter({
      name: 'ddc_node_requests_refused_total',
      help: 'Requests refused, by error code',
      labelNames: ['code'] as const,
      registers,
    }),
  }
  return {
    ...m,
    onCommit(s) {
      m.commitEvents.observe(s.events)
      m.commitRequests.observe(s.requests)
      m.commitSeconds.observe(s.seconds)
    },
  }
}
