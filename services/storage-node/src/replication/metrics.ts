/** Replication metrics, in the node's registry (served at /metrics). */
import { Counter, type Registry } from 'prom-client'

export interface ReplicationMetrics {
  pushes: Counter<'result'>
  forwards: Counter
  quorumFailures: Counter
  eventsRepaired: Counter
  repairRounds: Counter<'result'>
  forks: Counter
  blocksRepaired: Counter
}

export function createReplicationMetrics(registry: Registry): ReplicationMetrics {
  const registers = [registry]
  return {
    pushes: new Counter({
      name: 'ddc_node_replica_pushes_total',
      help: 'Appends pushed to other replicas, by result (ok, failed)',
      labelNames: ['result'],
      registers,
    }),
    forwards: new Counter({
      name: 'ddc_node_forwards_total',
      help: 'Appends forwarded to the first replica',
      registers,
    }),
    quorumFailures: new Counter({
      name: 'ddc_node_quorum_failures_total',
      help: 'Appends refused because fewer replicas than the write quorum held them',
      registers,
    }),
    eventsRepaired: new Counter({
      name: 'ddc_node_events_repaired_total',
      help: 'Events fetched from replicas (catch-up and repair), verified and stored',
      registers,
    }),
    repairRounds: new Counter({
      name: 'ddc_node_repair_rounds_total',
      help: 'Background repair rounds, by result (ok, error)',
      labelNames: ['result'],
      registers,
    }),
    forks: new Counter({
      name: 'ddc_node_forks_total',
      help: 'Forks detected: two different envelopes met at one seq (evidence at GET /forks)',
      registers,
    }),
    blocksRepaired: new Counter({
      name: 'ddc_node_blocks_repaired_total',
      help: 'Corrupted blocks replaced by verified copies from a replica',
      registers,
    }),
  }
}
