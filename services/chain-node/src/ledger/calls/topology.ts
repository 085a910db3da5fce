/** Buckets, clusters and storage nodes: who owns what, and where each bucket's data lives. */

import {
  AlreadyExistsError,
  NotOwnerError,
  UnknownBucketError,
  UnknownClusterError,
  UnknownNodeError,
} from '@ddc/chain'
import { bytesEqual, InvalidInputError, toHex } from '@ddc/core'
import * as p from '../args.js'
import { type BucketState, type ClusterState, key, type NodeState } from '../model.js'
import type { StateStore } from '../state.js'
import { addressOf, type CallContext, defineCall } from './context.js'

export function getCluster(state: StateStore, id: string): ClusterState {
  const c = state.get<ClusterState>(key.cluster(id))
  if (!c) throw new UnknownClusterError(`cluster ${id} does not exist`)
  return c
}

export function getBucket(state: StateStore, id: string): BucketState {
  const b = state.get<BucketState>(key.bucket(id))
  if (!b) throw new UnknownBucketError(`bucket ${id} does not exist; create it with buckets.create`)
  return b
}

export function getNode(state: StateStore, k: Uint8Array): NodeState {
  const n = state.get<NodeState>(key.node(k))
  if (!n) throw new UnknownNodeError(`storage node ${toHex(k)} is not registered`)
  return n
}

function requireSender(ctx: CallContext, who: Uint8Array, what: string): void {
  if (!bytesEqual(ctx.sender, who)) {
    throw new NotOwnerError(`${addressOf(ctx, ctx.sender)} is not the ${what}`, {
      details: { expected: addressOf(ctx, who) },
    })
  }
}

export const bucketCreate = defineCall({
  parse: (a) => {
    p.fields(a, ['cluster', 'isPublic', 'settings'])
    return {
      cluster: p.id(a.cluster, 'cluster'),
      isPublic: p.bool(a.isPublic, 'isPublic'),
      settings: p.settings(a.settings),
    }
  },
  apply(ctx, a) {
    getCluster(ctx.state, a.cluster)
    const id = String(ctx.state.get<number>(key.nextBucket) ?? 1)
    ctx.state.put(key.nextBucket, Number(id) + 1)
    const bucket: BucketState = { id, owner: ctx.sender, ...a, createdAt: ctx.block }
    ctx.state.put(key.bucket(id), bucket)
    ctx.emit('buckets.Created', { bucket: id, owner: addressOf(ctx, ctx.sender), cluster: a.cluster })
  },
})

export const bucketUpdate = defineCall({
  parse: (a) => {
    p.fields(a, ['bucket'], ['isPublic', 'settings'])
    if (!('isPublic' in a) && !('settings' in a)) throw new InvalidInputError('nothing to update')
    return {
      bucket: p.id(a.bucket, 'bucket'),
      isPublic: 'isPublic' in a ? p.bool(a.isPublic, 'isPublic') : undefined,
      settings: 'settings' in a ? p.settings(a.settings) : undefined,
    }
  },
  apply(ctx, a) {
    const b = getBucket(ctx.state, a.bucket)
    requireSender(ctx, b.owner, `owner of bucket ${a.bucket}`)
    ctx.state.put(key.bucket(a.bucket), {
      ...b,
      isPublic: a.isPublic ?? b.isPublic,
      settings: a.settings ?? b.settings,
    })
    ctx.emit('buckets.Updated', { bucket: a.bucket })
  },
})

export const clusterCreate = defineCall({
  parse: (a) => {
    p.fields(a, ['id', 'replicationFactor'])
    const rf = p.nat(a.replicationFactor, 'replicationFactor', 16)
    if (rf < 1) throw new InvalidInputError('replicationFactor is at least 1')
    return { id: p.id(a.id, 'id'), replicationFactor: rf }
  },
  apply(ctx, a) {
    if (ctx.state.get(key.cluster(a.id))) throw new AlreadyExistsError(`cluster ${a.id} already exists`)
    const c: ClusterState = { id: a.id, manager: ctx.sender, replicationFactor: a.replicationFactor, nodes: [] }
    ctx.state.put(key.cluster(a.id), c)
    ctx.emit('clusters.Created', { cluster: a.id, manager: addressOf(ctx, ctx.sender) })
  },
})

export const clusterAddNode = defineCall({
  parse: (a) => {
    p.fields(a, ['cluster', 'node'])
    return { cluster: p.id(a.cluster, 'cluster'), node: p.account(a.node, 'node') }
  },
  apply(ctx, a) {
    const c = getCluster(ctx.state, a.cluster)
    requireSender(ctx, c.manager, `manager of cluster ${a.cluster}`)
    const n = getNode(ctx.state, a.node)
    if (n.cluster !== undefined)
      throw new AlreadyExistsError(`node ${toHex(a.node)} is already in cluster ${n.cluster}`)
    ctx.state.put(key.cluster(a.cluster), { ...c, nodes: [...c.nodes, a.node] })
    ctx.state.put(key.node(a.node), { ...n, cluster: a.cluster })
    ctx.emit('clusters.NodeAdded', { cluster: a.cluster, node: toHex(a.node) })
  },
})

export const nodeRegister = defineCall({
  parse: (a) => {
    p.fields(a, ['node', 'endpoints', 'status'])
    return { node: p.account(a.node, 'node'), endpoints: p.endpoints(a.endpoints), status: p.status(a.status) }
  },
  apply(ctx, a) {
    if (ctx.state.get(key.node(a.node))) throw new AlreadyExistsError(`node ${toHex(a.node)} is already registered`)
    const n: NodeState = { key: a.node, provider: ctx.sender, endpoints: a.endpoints, status: a.status }
    ctx.state.put(key.node(a.node), n)
    ctx.emit('nodes.Registered', { node: toHex(a.node), provider: addressOf(ctx, ctx.sender) })
  },
})

export const nodeUpdate = defineCall({
  parse: (a) => {
    p.fields(a, ['node'], ['endpoints', 'status'])
    if (!('endpoints' in a) && !('status' in a)) throw new InvalidInputError('nothing to update')
    return {
      node: p.account(a.node, 'node'),
      endpoints: 'endpoints' in a ? p.endpoints(a.endpoints) : undefined,
      status: 'status' in a ? p.status(a.status) : undefined,
    }
  },
  apply(ctx, a) {
    const n = getNode(ctx.state, a.node)
    requireSender(ctx, n.provider, `provider of node ${toHex(a.node)}`)
    ctx.state.put(key.node(a.node), { ...n, endpoints: a.endpoints ?? n.endpoints, status: a.status ?? n.status })
    ctx.emit('nodes.Updated', { node: toHex(a.node) })
  },
})

export { requireSender }
