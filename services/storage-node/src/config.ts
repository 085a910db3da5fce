/** Storage-node configuration: every setting, its default and its environment variable (DDC_NODE_*). */
import type { BucketInfo } from '@ddc/chain'
import { SS58_GENERIC, toAccountId } from '@ddc/core'
import { loadConfig } from '@ddc/service'
import { type Static, Type } from '@sinclair/typebox'

export const NodeConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1', description: 'Listen address (DDC_NODE_HOST)' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8300, description: 'Listen port (DDC_NODE_PORT)' }),
  dataDir: Type.String({ default: '.ddc/storage-node', description: 'LevelDB directory (DDC_NODE_DATA_DIR)' }),
  buckets: Type.Array(
    Type.Object({
      id: Type.String({ minLength: 1, maxLength: 128 }),
      owner: Type.String({ description: 'SS58 address of the bucket owner' }),
      public: Type.Boolean({ default: false }),
    }),
    { default: [], description: 'Buckets this node serves, JSON (DDC_NODE_BUCKETS)' },
  ),
  chain: Type.Optional(
    Type.String({
      description: 'Dev chain URL to read buckets (owner, public) from; without it, `buckets` (DDC_NODE_CHAIN)',
    }),
  ),
  verifyWorkers: Type.Integer({
    minimum: -1,
    default: -1,
    description: 'Signature-verification threads; -1 = one per core, 0 = none (DDC_NODE_VERIFY_WORKERS)',
  }),
  bodyLimit: Type.Integer({
    minimum: 1024,
    default: 32 * 1024 * 1024,
    description: 'Largest request body (DDC_NODE_BODY_LIMIT)',
  }),
  maxEventsPerRequest: Type.Integer({
    minimum: 1,
    default: 10_000,
    description: 'Most events in one append (DDC_NODE_MAX_EVENTS_PER_REQUEST)',
  }),
  requestWindowMs: Type.Integer({
    minimum: 1000,
    default: 300_000,
    description: 'Accepted clock skew of signed requests (DDC_NODE_REQUEST_WINDOW_MS)',
  }),
  ss58Prefix: Type.Integer({
    minimum: 0,
    default: SS58_GENERIC,
    description: 'Address format in responses (DDC_NODE_SS58_PREFIX)',
  }),
  cacheSize: Type.Integer({
    minimum: 0,
    default: 64 * 1024 * 1024,
    description: 'LevelDB block cache bytes (DDC_NODE_CACHE_SIZE)',
  }),
  writeBufferSize: Type.Integer({
    minimum: 1024 * 1024,
    default: 32 * 1024 * 1024,
    description: 'LevelDB memtable bytes (DDC_NODE_WRITE_BUFFER_SIZE)',
  }),
  cors: Type.Union([Type.Boolean(), Type.Array(Type.String())], {
    default: false,
    description: 'Let browser pages call the node: true = any origin, or a list of origins (DDC_NODE_CORS)',
  }),
  logLevel: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
    { default: 'info', description: 'Log level (DDC_NODE_LOG_LEVEL)' },
  ),
  publicUrl: Type.Optional(Type.String({ description: 'Public base URL for OpenAPI (DDC_NODE_PUBLIC_URL)' })),
  peers: Type.Optional(
    Type.Array(Type.Object({ url: Type.String(), key: Type.String({ description: 'SS58 or 0x-hex node key' }) }), {
      description:
        'Static cluster without a chain: the other nodes, JSON [{url, key}]; with `key`, turns replication on (DDC_NODE_PEERS)',
    }),
  ),
  replication: Type.Boolean({
    default: true,
    description: 'Replicate with the cluster when `key` and `chain` or `peers` are set (DDC_NODE_REPLICATION)',
  }),
  replicationFactor: Type.Integer({
    minimum: 1,
    default: 3,
    description:
      'Replicas per timeline with static `peers` (the chain sets its cluster’s) (DDC_NODE_REPLICATION_FACTOR)',
  }),
  writeQuorum: Type.Integer({
    minimum: 1,
    default: 2,
    description: 'Replicas holding an append durably before it is acknowledged (DDC_NODE_WRITE_QUORUM)',
  }),
  repairIntervalMs: Type.Integer({
    minimum: 100,
    default: 5000,
    description: 'Background repair period between replicas (DDC_NODE_REPAIR_INTERVAL_MS)',
  }),
  probeIntervalMs: Type.Integer({
    minimum: 100,
    default: 1000,
    description: 'Peer health probe period (DDC_NODE_PROBE_INTERVAL_MS)',
  }),
  key: Type.Optional(
    Type.String({
      description: "Secret URI of this node's key (e.g. //DdcNode1); signs anchors and usage reports (DDC_NODE_KEY)",
    }),
  ),
  anchorPeriodMs: Type.Integer({
    minimum: 0,
    default: 60_000,
    description: 'Anchor changed timeline heads on chain this often; 0 = never (DDC_NODE_ANCHOR_PERIOD_MS)',
  }),
  usagePeriodMs: Type.Integer({
    minimum: 0,
    default: 3_600_000,
    description: 'Payout period: report usage to the chain this often; 0 = never (DDC_NODE_USAGE_PERIOD_MS)',
  }),
  payoutKey: Type.Optional(
    Type.String({
      description: "Secret URI of the cluster manager's key: this node also runs payouts (DDC_NODE_PAYOUT_KEY)",
    }),
  ),
})

export type NodeConfig = Static<typeof NodeConfig>

export function loadNodeConfig(opts: { file?: string; env?: Record<string, string | undefined> } = {}): NodeConfig {
  return loadConfig(NodeConfig, { envPrefix: 'DDC_NODE', ...opts })
}

export function bucketsOf(config: Pick<NodeConfig, 'buckets'>): BucketInfo[] {
  return config.buckets.map((b) => ({ id: b.id, owner: toAccountId(b.owner), isPublic: b.public }))
}
