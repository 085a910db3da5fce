/**
 * TypeBox schemas of the CLS's HTTP API: one source for request validation, response serialization and
 * the OpenAPI document. Shared objects carry an `$id`, are registered once and referenced with `ref()`.
 * Accounts are SS58 text with the chain's prefix; node ids are 0x-hex public keys (as on chain).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'

/** A `$ref` to a registered schema that keeps the TypeScript type of the schema it names. */
export const ref = <T extends TSchema>(s: T) => Type.Unsafe<Static<T>>(Type.Ref(s.$id!))

export const EX = {
  alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  node: '0x5c6b6a2b0bd3c4a7c9d8b7fb4f7d1e3c9a1a7a0f5a9c8e4d3b2a1f0e9d8c7b6a',
  cid: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
}

export const Address = Type.String({ minLength: 1, maxLength: 64, description: 'SS58 address', examples: [EX.alice] })
/** An account in a path: SS58 (any prefix) or 0x-hex AccountId32. */
export const AccountParam = Type.String({
  minLength: 1,
  maxLength: 66,
  description: 'SS58 address (any network prefix) or 0x-hex AccountId32',
  examples: [EX.alice],
})
export const BucketId = Type.String({ minLength: 1, maxLength: 128, description: 'bucket id', examples: ['1'] })
const NodeId = Type.String({ description: '0x-hex public key of the node', examples: [EX.node] })
const Ms = Type.Integer({ minimum: 0, description: 'ms since the Unix epoch' })
const Hex = Type.String({ pattern: '^0x[0-9a-f]*$', description: '0x-hex bytes' })
const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'bytes, standard padded base64' })
const ChainStatus = Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('maintenance')], {
  description: 'status the node has on chain',
})
const HealthStatus = Type.Union([Type.Literal('unknown'), Type.Literal('up'), Type.Literal('down')], {
  description: 'verdict of the health prober (unknown: not probed yet; counts as healthy)',
})

export const Health = Type.Object(
  {
    status: HealthStatus,
    since: { ...Ms, description: 'when status last changed' },
    latencyMs: Type.Optional(Type.Number({ description: 'round trip of the last good probe' })),
    lastSeen: Type.Optional({ ...Ms, description: 'time of the last good probe' }),
    lastProbe: Type.Optional({ ...Ms, description: 'time of the last probe' }),
    consecutiveFailures: Type.Integer({ minimum: 0 }),
    lastError: Type.Optional(Type.String({ description: 'why the last failed probe failed' })),
  },
  { $id: 'Health', title: 'Health', description: 'health of one storage node as the CLS probes it' },
)

export const NodeView = Type.Object(
  {
    id: NodeId,
    cluster: Type.Optional(Type.String()),
    endpoints: Type.Array(Type.String(), { description: 'HTTP base URLs from chain' }),
    endpoint: Type.Union([Type.String(), Type.Null()], { description: 'the endpoint that answered the last probe' }),
    status: ChainStatus,
    provider: { ...Address, description: 'account operating the node' },
    serving: Type.Boolean({ description: 'active on chain and not marked down: eligible for placement now' }),
    health: ref(Health),
  },
  {
    $id: 'Node',
    title: 'Node',
    examples: [
      {
        id: EX.node,
        cluster: 'dev-cluster',
        endpoints: ['http://127.0.0.1:8101'],
        endpoint: 'http://127.0.0.1:8101',
        status: 'active',
        provider: EX.alice,
        serving: true,
        health: { status: 'up', since: 1735689600000, latencyMs: 1.2, lastSeen: 1735689605000, consecutiveFailures: 0 },
      },
    ],
  },
)

export const ClusterDetail = Type.Object(
  {
    id: Type.String(),
    replicationFactor: Type.Integer({ minimum: 1 }),
    manager: Address,
    nodes: Type.Array(ref(NodeView)),
  },
  { $id: 'Cluster', title: 'Cluster' },
)

export const BucketView = Type.Object(
  {
    id: BucketId,
    owner: Address,
    isPublic: Type.Boolean(),
    clusterId: Type.String(),
    settings: Type.Record(Type.String(), Type.Unknown()),
  },
  {
    $id: 'Bucket',
    title: 'Bucket',
    examples: [{ id: '1', owner: EX.alice, isPublic: false, clusterId: 'dev-cluster', settings: { demo: true } }],
  },
)

export const BucketDetail = Type.Object(
  { bucket: ref(BucketView), cluster: ref(ClusterDetail) },
  { $id: 'BucketDetail', title: 'BucketDetail', description: 'a bucket with its cluster and nodes' },
)

export const AccountBuckets = Type.Object(
  { account: Address, buckets: Type.Array(ref(BucketView)) },
  { $id: 'AccountBuckets', title: 'AccountBuckets' },
)

export const Location = Type.Object(
  {
    bucket: BucketId,
    owner: Address,
    cluster: Type.String(),
    replicationFactor: Type.Integer({ minimum: 1 }),
    replicas: Type.Array(ref(NodeView), {
      description: 'ordered replica set over the serving nodes: write to the first, read from any',
    }),
    home: Type.Array(ref(NodeView), {
      description: 'ordered replica set over all of the cluster nodes, health ignored: where the timeline lives',
    }),
    degraded: Type.Boolean({ description: 'replicas differ from home, or are fewer than the replication factor' }),
  },
  { $id: 'Location', title: 'Location' },
)

const TopologyNode = Type.Object({
  id: NodeId,
  endpoints: Type.Array(Type.String()),
  status: ChainStatus,
  health: HealthStatus,
  serving: Type.Boolean(),
})

export const Topology = Type.Object(
  {
    etag: Type.String({ description: 'the ETag header value: changes exactly when this document changes' }),
    chain: Type.Object({ name: Type.String(), genesisHash: Type.String(), ss58Prefix: Type.Integer() }),
    placement: Type.Object(
      {
        algorithm: Type.Literal('rendezvous-sha256-v1'),
        rule: Type.String(),
      },
      { description: 'how to compute placement from this document (README, "Placement in the SDK")' },
    ),
    clusters: Type.Array(
      Type.Object({
        id: Type.String(),
        replicationFactor: Type.Integer({ minimum: 1 }),
        nodes: Type.Array(TopologyNode, { description: 'in chain order' }),
      }),
    ),
  },
  {
    $id: 'Topology',
    title: 'Topology',
    examples: [
      {
        etag: '"5d41402abc4b2a76b9719d911017c592"',
        chain: { name: 'DDC Dev Chain', genesisHash: '0x…', ss58Prefix: 42 },
        placement: { algorithm: 'rendezvous-sha256-v1', rule: '…' },
        clusters: [
          {
            id: 'dev-cluster',
            replicationFactor: 3,
            nodes: [
              { id: EX.node, endpoints: ['http://127.0.0.1:8101'], status: 'active', health: 'up', serving: true },
            ],
          },
        ],
      },
    ],
  },
)

export const TimelinePage = Type.Object(
  {
    bucket: BucketId,
    timelines: Type.Array(
      Type.Object({
        owner: Address,
        length: Type.Integer({ minimum: 0, description: 'the longest any replica reported' }),
        head: Type.Union([Type.Object({ seq: Type.Integer(), cid: Type.String() }), Type.Null()]),
        replicas: Type.Array(Type.Object({ node: NodeId, length: Type.Integer() }), {
          description: 'the nodes that listed it, with the length each reported',
        }),
      }),
    ),
    next: Type.Optional(Type.String({ description: 'cursor of the next page; absent on the last page' })),
    nodes: Type.Object({
      queried: Type.Array(NodeId),
      failed: Type.Array(Type.Object({ node: NodeId, code: Type.String(), message: Type.String() }), {
        description: 'nodes that did not answer: the page may miss timelines only they hold',
      }),
    }),
  },
  {
    $id: 'TimelinePage',
    title: 'TimelinePage',
    examples: [
      {
        bucket: '1',
        timelines: [
          {
            owner: EX.alice,
            length: 12,
            head: { seq: 11, cid: EX.cid },
            replicas: [{ node: EX.node, length: 12 }],
          },
        ],
        next: 'AdQ1k8f…',
        nodes: { queried: [EX.node], failed: [] },
      },
    ],
  },
)

export const SealSchema = Type.Object(
  {
    scheme: Type.Union([Type.Literal('sr25519'), Type.Literal('ed25519'), Type.Literal('ecdsa')]),
    sig: Hex,
    n: Type.Integer({ minimum: 1, description: 'batch size' }),
    i: Type.Integer({ minimum: 0, description: 'leaf index' }),
    path: Type.Array(Hex, { maxItems: 17 }),
  },
  { $id: 'Seal', title: 'Seal', description: 'core seal (JSON view)', additionalProperties: false },
)

export const AnnouncementRecord = Type.Object(
  { v: Type.Literal(1), account: Address, x25519: Hex, created: Ms },
  { $id: 'AnnouncementRecord', title: 'AnnouncementRecord', description: '@ddc/crypto key announcement, JSON view' },
)

export const SignedAnnouncement = Type.Object(
  {
    cid: Type.String({ description: 'CID of bytes' }),
    record: ref(AnnouncementRecord),
    bytes: { ...Base64, description: 'canonical DAG-CBOR of the record: what the seal signs (by CID)' },
    seal: ref(SealSchema),
  },
  {
    $id: 'SignedAnnouncement',
    title: 'SignedAnnouncement',
    description: "an account's X25519 key, signed by the account: verify it with @ddc/crypto verifyAnnouncement",
  },
)

/** What PUT /v1/keys reads: `bytes` and `seal`; `cid` and `record` may ride along and are ignored. */
export const AnnouncementIn = Type.Object(
  {
    bytes: Base64,
    seal: ref(SealSchema),
    cid: Type.Optional(Type.String()),
    record: Type.Optional(Type.Unknown()),
  },
  {
    additionalProperties: false,
    description: 'a signed announcement (as @ddc/crypto createAnnouncement, or the crypto service, produces it)',
  },
)

export const Info = Type.Object(
  {
    service: Type.Literal('ddc-cls'),
    account: Type.Union([Address, Type.Null()], {
      description: 'the CLS account: delegate read capabilities to it to traverse private buckets',
    }),
    chain: Type.Object({
      kind: Type.String(),
      name: Type.String(),
      genesisHash: Type.String(),
      ss58Prefix: Type.Integer(),
      finalized: Type.Union([Type.Object({ number: Type.Integer(), hash: Type.String() }), Type.Null()]),
    }),
    topology: Type.Object({ etag: Type.String(), fetchedAt: Ms, clusters: Type.Integer(), nodes: Type.Integer() }),
  },
  { $id: 'Info', title: 'Info' },
)

/** Registered on the app; referenced by `$id` from route schemas. */
export const SCHEMAS: TSchema[] = [
  Health,
  NodeView,
  ClusterDetail,
  BucketView,
  BucketDetail,
  AccountBuckets,
  Location,
  Topology,
  TimelinePage,
  SealSchema,
  AnnouncementRecord,
  SignedAnnouncement,
  Info,
]
