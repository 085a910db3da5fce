/**
 * The CLS's configuration: a JSON file (`DDC_CLS_CONFIG`), `DDC_CLS_*` environment variables, overrides
 * (`loadConfig` from the service kit). Every setting is listed, with its variable, in the README.
 */
import { type Static, Type } from '@sinclair/typebox'

const LogLevel = Type.Union(
  [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
  { default: 'info' },
)

export const ClsConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8200, description: '0 = any free port' }),
  publicUrl: Type.Optional(Type.String({ description: 'base URL written into the OpenAPI document' })),
  logLevel: LogLevel,
  chain: Type.String({
    minLength: 1,
    default: 'http://127.0.0.1:9944',
    description:
      'where topology comes from: a dev chain URL (http/https), a Substrate endpoint (ws/wss) or a preset ' +
      '(cere-mainnet, cere-testnet, cere-devnet, local)',
  }),
  cors: Type.Union([Type.Boolean(), Type.Array(Type.String())], {
    default: false,
    description: 'let browser pages call the CLS: true = any origin, or a list of origins',
  }),
  dataDir: Type.String({ default: '.ddc/cls', description: 'folder of the key directory (LevelDB)' }),
  accountUri: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "secret URI of the CLS's own account, which reads private buckets' timeline listings with capabilities " +
        'delegated to it; absent: only public buckets can be traversed',
    }),
  ),
  refreshIntervalMs: Type.Integer({
    minimum: 100,
    default: 30_000,
    description: 'full topology refresh period (topology also refreshes on finalized blocks that change it)',
  }),
  followFinalized: Type.Boolean({
    default: true,
    description: 'refresh on finalized blocks whose events touch clusters, nodes or buckets',
  }),
  bucketCacheMs: Type.Integer({
    minimum: 0,
    default: 60_000,
    description: 'how long a bucket read from chain is reused',
  }),
  probeIntervalMs: Type.Integer({ minimum: 50, default: 5_000, description: 'node health probe period' }),
  probeTimeoutMs: Type.Integer({ minimum: 10, default: 2_000, description: 'a probe slower than this fails' }),
  failuresBeforeDown: Type.Integer({
    minimum: 1,
    default: 3,
    description: 'consecutive failed probes that mark a node down',
  }),
  successesBeforeUp: Type.Integer({
    minimum: 1,
    default: 1,
    description: 'consecutive good probes that bring it back',
  }),
  nodeTimeoutMs: Type.Integer({
    minimum: 10,
    default: 10_000,
    description: 'timeout of timeline-listing requests to nodes',
  }),
  maxKeySkewMs: Type.Integer({
    minimum: 0,
    default: 600_000,
    description: 'how far in the future a key announcement may be dated',
  }),
})

export type ClsConfig = Static<typeof ClsConfig>
