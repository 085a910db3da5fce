/** CLS metrics, registered in the service's own Prometheus registry (served at /metrics). */
import { Counter, Gauge, type Registry } from 'prom-client'

export interface ClsMetrics {
  /** 1 while a node is up, 0 while down; absent until its first verdict. */
  nodeUp: Gauge<'node'>
  /** Latency of the node's last good probe. */
  probeSeconds: Gauge<'node'>
  probes: Counter<'node' | 'result'>
  topologyRefreshes: Counter<'result'>
  topologyChanges: Counter
  /** Timeline-listing requests to nodes that failed during traversal. */
  listingErrors: Counter<'node'>
  keyAnnouncements: Counter<'result'>
}

export function createClsMetrics(registry: Registry): ClsMetrics {
  const registers = [registry]
  return {
    nodeUp: new Gauge({
      name: 'ddc_cls_node_up',
      help: 'Storage node health verdict (1 up, 0 down)',
      labelNames: ['node'],
      registers,
    }),
    probeSeconds: new Gauge({
      name: 'ddc_cls_node_probe_seconds',
      help: 'Latency of the last successful health probe',
      labelNames: ['node'],
      registers,
    }),
    probes: new Counter({
      name: 'ddc_cls_node_probes_total',
      help: 'Health probes by result',
      labelNames: ['node', 'result'],
      registers,
    }),
    topologyRefreshes: new Counter({
      name: 'ddc_cls_topology_refreshes_total',
      help: 'Topology reads from the chain by result',
      labelNames: ['result'],
      registers,
    }),
    topologyChanges: new Counter({
      name: 'ddc_cls_topology_changes_total',
      help: 'Topology reads that found clusters or nodes changed',
      registers,
    }),
    listingErrors: new Counter({
      name: 'ddc_cls_listing_errors_total',
      help: 'Timeline-listing requests to storage nodes that failed',
      labelNames: ['node'],
      registers,
    }),
    keyAnnouncements: new Counter({
      name: 'ddc_cls_key_announcements_total',
      help: 'Key announcements received, by outcome',
      labelNames: ['result'],
      registers,
    }),
  }
}
