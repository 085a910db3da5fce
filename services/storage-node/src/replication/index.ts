/**
 * Replication between storage nodes (DESIGN.md "Cluster, CLS and replication"): node identity (its
 * key), the cluster read from the chain or a static peer list, peer health, the quorum write path
 * (coordinator.ts), the replica side and catch-up (replica.ts), background repair (repair.ts),
 * corrupted-block repair (blocks.ts) and fork evidence (forks.ts). `createReplication` wires them for
 * one node; routes/replication.ts serves the peer API.
 */

import type { RequestVerifier } from '@ddc/core'
import { bytesEqual, createAccount, type Signer, UnauthorizedError } from '@ddc/core'
import type { FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { rawBody } from '../context.js'
import type { IngestContext } from '../ingest.js'
import type { AppendRequest } from '../wire.js'
import { BlockRepair } from './blocks.js'
import { Coordinator, type ReplicatedOutcome } from './coordinator.js'
import type { ReplicationDeps } from './deps.js'
import { createForkBook, type ForkBook } from './forks.js'
import { createPeerHealth, type PeerHealth } from './health.js'
import { createReplicationMetrics } from './metrics.js'
import { createPeerClient, EXCLUDE_HEADER } from './peer-client.js'
import { placeTimeline } from './placement.js'
import { Repairer, type RepairReport } from './repair.js'
import { Replica } from './replica.js'
import {
  type ClusterDirectory,
  chainTopology,
  type NodeTopology,
  type PeerNode,
  type StaticPeer,
  staticTopology,
} from './topology.js'

export { ForkError, QuorumError } from './errors.js'
export type { ClusterDirectory, StaticPeer } from './topology.js'

export interface ReplicationInit {
  /** This node's key: a secret URI (`//DdcNode1`) or a signer. Its public key is the node id. */
  key: string | Signer
  /** Read the cluster (nodes, endpoints, replication factor) from the chain… */
  chain?: ClusterDirectory
  /** …or use this fixed peer list (this node excluded or not). */
  peers?: readonly StaticPeer[]
  /** This node's own URL (static topology). */
  selfUrl?: string
  /** Replication factor of a static topology (the chain's cluster sets its own; default 3). */
  replicationFactor?: number
  /** Replicas that must hold an append durably before it is acknowledged (default 2). */
  writeQuorum?: number
  /** Background repair period (default 5 s). */
  repairIntervalMs?: number
  /** Events one repair round may fetch (default 50,000). */
  maxRepairEventsPerRound?: number
  /** Peer health probe period (default 1 s). */
  probeIntervalMs?: number
  /** Timeout of calls to peers (default 30 s). */
  timeoutMs?: number
}

export interface Replication {
  readonly topology: NodeTopology
  readonly health: PeerHealth
  readonly forks: ForkBook
  readonly coordinator: Coordinator
  readonly replica: Replica
  readonly blocks: BlockRepair
  readonly writeQuorum: number
  /** Handles a client's POST /events (forward, or coordinate the quorum write). */
  append(wire: AppendRequest, req: FastifyRequest): Promise<ReplicatedOutcome | unknown>
  /** The cluster member that signed this request; ERR_UNAUTHORIZED otherwise. */
  peerOf(req: FastifyRequest): Promise<PeerNode>
  /** Whether this node is the first healthy replica of the timeline (anchors it, for one). */
  isPrimary(bucket: string, owner: Uint8Array): Promise<boolean>
  /** One repair round now (tests, the status route). */
  repairNow(): Promise<RepairReport>
  start(): void
  close(): void
}

export function createReplication(
  init: ReplicationInit,
  ctx: IngestContext & { requests: RequestVerifier },
  registry: Registry,
  log: (obj: Record<string, unknown>, msg: string) => void,
): Replication {
  const signer = typeof init.key === 'string' ? createAccount({ uri: init.key }) : init.key
  const topology = init.chain
    ? chainTopology({ chain: init.chain, self: signer.accountId })
    : staticTopology({
        self: signer.accountId,
        selfUrl: init.selfUrl ?? '',
        peers: init.peers ?? [],
        replicationFactor: init.replicationFactor ?? 3,
      })
  const metrics = createReplicationMetrics(registry)
  const health = createPeerHealth({
    topology,
    intervalMs: init.probeIntervalMs ?? 1000,
    onChange: (peer, up) => log({ peer: peer.id, url: peer.url, up }, up ? 'peer is up' : 'peer is down'),
  })
  const deps: ReplicationDeps = {
    ingest: ctx,
    topology,
    health,
    client: createPeerClient({ signer, timeoutMs: init.timeoutMs ?? 30_000 }),
    forks: createForkBook(ctx.store, metrics.forks),
    metrics,
    writeQuorum: init.writeQuorum ?? 2,
    pageSize: 500,
    log,
  }
  const coordinator = new Coordinator(deps)
  const replica = new Replica(deps)
  const repairer = new Repairer(deps, replica, {
    intervalMs: init.repairIntervalMs ?? 5000,
    maxEventsPerRound: init.maxRepairEventsPerRound ?? 50_000,
  })

  return {
    topology,
    health,
    forks: deps.forks,
    coordinator,
    replica,
    blocks: new BlockRepair(deps),
    writeQuorum: deps.writeQuorum,
    append(wire, req) {
      const header = req.headers[EXCLUDE_HEADER]
      const notFirst = typeof header === 'string' && header ? header.split(',') : []
      return coordinator.append(wire, notFirst)
    },
    async peerOf(req) {
      if (!ctx.requests.isSigned(req.headers))
        throw new UnauthorizedError(
          'replication routes answer cluster members only: sign the request with the node key',
        )
      const v = ctx.requests.verify({ method: req.method, url: req.url, headers: req.headers, body: rawBody(req) })
      const peer = (await topology.current()).nodes.find((n) => bytesEqual(n.key, v.account))
      if (!peer) throw new UnauthorizedError('the signer is not a node of this cluster')
      return peer
    },
    async isPrimary(bucket, owner) {
      const p = placeTimeline(await topology.current(), health, { bucket, owner }, deps.writeQuorum)
      return p.serving[0]?.id === topology.selfId
    },
    repairNow: () => repairer.round(),
    start() {
      void health.probe()
      // Caught up once a round found nothing left beyond its budget.
      repairer.start((report) => {
        if (!report.truncated) coordinator.catchingUp = false
      })
    },
    close() {
      repairer.close()
      health.close()
    },
  }
}
