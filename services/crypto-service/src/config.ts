/**
 * The crypto service's configuration (JSON file in `DDC_CRYPTO_CONFIG`, `DDC_CRYPTO_*` environment
 * variables, overrides). Secrets — key material, the account URI, API tokens — come only from here;
 * they are checked by shape, and no error message ever quotes their values.
 */
import { type Static, Type } from '@sinclair/typebox'

const Hex32 = Type.String({
  pattern: '^(0x)?[0-9a-fA-F]{64}$',
  description: '32 bytes as hex (optional 0x)',
})
const Name = Type.String({ pattern: '^[A-Za-z0-9._:/@-]{1,128}$' })
const Epoch = Type.Integer({ minimum: 0, maximum: 0xffff_ffff })

export const OPERATIONS = ['encrypt', 'decrypt', 'wrap'] as const
export type Operation = (typeof OPERATIONS)[number]

export const ScopeRuleConfig = Type.Object(
  {
    scopes: Type.Record(Type.String(), Type.Array(Type.String())),
    unmapped: Type.String({ description: "'public', 'error' or a scope name" }),
  },
  { additionalProperties: false },
)

export const BucketConfig = Type.Object(
  {
    masterKey: Type.Optional({ ...Hex32, description: 'app master key of this bucket (derives every scope key)' }),
    bucketKeys: Type.Optional(
      Type.Array(Type.Object({ scope: Name, epoch: Epoch, key: Hex32 }, { additionalProperties: false }), {
        description: 'bucket scope keys (all users, one scope, one epoch), when the master key is not held',
      }),
    ),
    userKeys: Type.Optional(
      Type.Array(
        Type.Object(
          { scope: Name, epoch: Epoch, owner: Type.String({ description: 'SS58 address' }), key: Hex32 },
          { additionalProperties: false },
        ),
        { description: "user scope keys (one user's scope at one epoch)" },
      ),
    ),
    scopes: Type.Optional(
      Type.Record(Type.String(), ScopeRuleConfig, {
        description: "scope map: event type (or '*') → { scopes: { name: [fields] }, unmapped }; needed to encrypt",
      }),
    ),
    epochs: Type.Optional(
      Type.Record(Type.String(), Epoch, { description: 'current key epoch per scope (absent: 0)' }),
    ),
  },
  { additionalProperties: false },
)
export type BucketConfig = Static<typeof BucketConfig>

export const TokenConfig = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'who holds it (shown in logs, never the token)' }),
    token: Type.Optional(Type.String({ minLength: 16, maxLength: 512, description: 'the bearer token itself' })),
    sha256: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{64}$', description: 'or: hex SHA-256 of the token, to keep it out of files' }),
    ),
    buckets: Type.Optional(Type.Array(Name, { description: 'buckets it may use (absent: all)' })),
    ops: Type.Optional(
      Type.Array(Type.Union([Type.Literal('encrypt'), Type.Literal('decrypt'), Type.Literal('wrap')]), {
        description: 'operations it may perform (absent: all)',
      }),
    ),
  },
  { additionalProperties: false },
)
export type TokenConfig = Static<typeof TokenConfig>

const LogLevel = Type.Union(
  [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
  { default: 'info' },
)

export const CryptoServiceConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8790 }),
  publicUrl: Type.Optional(Type.String({ description: 'base URL written into the OpenAPI document' })),
  logLevel: LogLevel,
  accountUri: Type.String({
    minLength: 1,
    description: 'secret URI (mnemonic or //Dev path) of the service account; pass it through the environment',
  }),
  accountScheme: Type.Union([Type.Literal('sr25519'), Type.Literal('ed25519'), Type.Literal('ecdsa')], {
    default: 'sr25519',
  }),
  ss58Prefix: Type.Integer({ minimum: 0, maximum: 16383, default: 42 }),
  buckets: Type.Record(Type.String(), BucketConfig, { default: {}, description: 'bucket name → key material' }),
  tokens: Type.Array(TokenConfig, { default: [], description: 'API tokens' }),
  maxBatch: Type.Integer({ minimum: 1, maximum: 10_000, default: 100, description: 'events per /v1/encrypt/batch' }),
  bodyLimit: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024, description: 'largest request body, bytes' }),
  maxGrantTtlMs: Type.Integer({
    minimum: 1000,
    default: 30 * 86_400_000,
    description: 'latest grant expiry the service signs, ms from now',
  }),
  trustedGrantors: Type.Optional(
    Type.Array(Type.String(), { description: 'SS58 accounts whose grants /v1/keys/rewrap accepts (absent: any)' }),
  ),
})
export type CryptoServiceConfig = Static<typeof CryptoServiceConfig>
