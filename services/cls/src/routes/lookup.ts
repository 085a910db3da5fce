/** Where things live: a timeline's replica set, a bucket with its cluster, the buckets of an account. */
import { toAddress } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { placeTimeline } from '../locate.js'
import { AccountBuckets, AccountParam, BucketDetail, BucketId, Location, ref } from '../schemas.js'
import { bucketView, clusterDetail, nodeView } from '../views.js'
import { parseAccount } from '../wire.js'
import type { RouteContext } from './context.js'

export function lookupRoutes(app: Service, ctx: RouteContext): void {
  const healthOf = (id: string) => ctx.prober.health(id)

  app.get(
    '/v1/locate/:bucket/:owner',
    {
      schema: {
        tags: ['placement'],
        summary: 'Where a timeline lives: its cluster and ordered replica set',
        description:
          '`replicas` is `replicaSet(bucket, owner, serving nodes, replicationFactor)` from @ddc/cluster: write to the ' +
          'first, read from any. `home` is the same over every node of the cluster, health ignored — where the ' +
          'timeline lives when all nodes are up. `degraded` says the two differ.',
        params: Type.Object({
          bucket: BucketId,
          owner: { ...AccountParam, description: 'timeline owner: SS58 address or 0x-hex AccountId32' },
        }),
        response: { 200: ref(Location), ...errorResponses(400, 404, 503) },
      },
    },
    async (req) => {
      const owner = parseAccount(req.params.owner)
      const bucket = await ctx.topology.bucket(req.params.bucket)
      const cluster = await ctx.topology.cluster(bucket.clusterId)
      const prefix = ctx.ss58Prefix()
      const { replicas, home } = placeTimeline(cluster, bucket.id, owner, healthOf)
      const same = replicas.length === home.length && replicas.every((n, k) => n.id === home[k]!.id)
      return {
        bucket: bucket.id,
        owner: toAddress(owner, prefix),
        cluster: cluster.id,
        replicationFactor: cluster.replicationFactor,
        replicas: replicas.map((n) => nodeView(n, ctx.prober, prefix)),
        home: home.map((n) => nodeView(n, ctx.prober, prefix)),
        degraded: !same,
      }
    },
  )

  app.get(
    '/v1/buckets/:bucket',
    {
      schema: {
        tags: ['buckets'],
        summary: 'A bucket as on chain, with its cluster and the cluster nodes with their health',
        params: Type.Object({ bucket: BucketId }),
        response: { 200: ref(BucketDetail), ...errorResponses(400, 404, 503) },
      },
    },
    async (req) => {
      const bucket = await ctx.topology.bucket(req.params.bucket)
      const cluster = await ctx.topology.cluster(bucket.clusterId)
      const prefix = ctx.ss58Prefix()
      return { bucket: bucketView(bucket, prefix), cluster: clusterDetail(cluster, ctx.prober, prefix) }
    },
  )

  app.get(
    '/v1/accounts/:address/buckets',
    {
      schema: {
        tags: ['buckets'],
        summary: 'The buckets an account owns',
        params: Type.Object({ address: AccountParam }),
        response: { 200: ref(AccountBuckets), ...errorResponses(400, 503) },
      },
    },
    async (req) => {
      const account = parseAccount(req.params.address)
      const prefix = ctx.ss58Prefix()
      const buckets = await ctx.chain.listBuckets(account)
      return { account: toAddress(account, prefix), buckets: buckets.map((b) => bucketView(b, prefix)) }
    },
  )
}
