/** Replication settings from the node's configuration (config.ts): on when the node has a key and a cluster. */
import type { Chain } from '@ddc/chain'
import type { NodeConfig } from '../config.js'
import type { ReplicationInit } from './index.js'

export function replicationOf(config: NodeConfig, chain: Chain | undefined): ReplicationInit | undefined {
  if (!config.replication || !config.key || (!chain && !config.peers?.length)) return undefined
  return {
    key: config.key,
    ...(chain
      ? { chain }
      : { peers: config.peers ?? [], selfUrl: config.publicUrl ?? `http://${config.host}:${config.port}` }),
    replicationFactor: config.replicationFactor,
    writeQuorum: config.writeQuorum,
    repairIntervalMs: config.repairIntervalMs,
    probeIntervalMs: config.probeIntervalMs,
  }
}
