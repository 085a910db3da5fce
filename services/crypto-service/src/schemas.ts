/**
 * TypeBox schemas of the crypto service's HTTP API: they validate requests, serialize responses and
 * feed the OpenAPI document. Shared objects carry an `$id` and are referenced with `ref()`.
 * Formats: bytes are standard padded base64; records and seals use the JSON views of @ddc/core and
 * @ddc/crypto (SS58 accounts, 0x-hex bytes), see ./wire.ts.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'

/** A `$ref` to a registered schema that keeps the TypeScript type of the schema it names. */
export const ref = <T extends TSchema>(s: T) => Type.Unsafe<Static<T>>(Type.Ref(s.$id!))

export const EX = {
  bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  charlieX25519: '0x54e7da965a80825a46f52052eb9f029e61672c01bd4c9fb59afca6af27018f6d',
  data: { email: 'bob@example.com', page: '/pricing', ctx: { os: 'linux', lang: 'en' } },
}

const name = (max: number, description: string, examples: string[]) =>
  Type.String({ pattern: `^[A-Za-z0-9._:/@-]{1,${max}}$`, description, examples })

export const Bucket = name(128, 'bucket name', ['demo-app'])
export const Scope = name(64, 'scope name', ['activity'])
export const Epoch = Type.Integer({ minimum: 0, maximum: 0xffff_ffff, description: 'key epoch' })
export const Address = Type.String({ minLength: 1, maxLength: 64, description: 'SS58 address', examples: [EX.bob] })
export const Base64 = Type.String({
  pattern: '^[A-Za-z0-9+/]*={0,2}$',
  contentEncoding: 'base64',
  description: 'bytes, standard padded base64',
})
const Hex = Type.String({ pattern: '^0x[0-9a-f]*$', description: '0x-hex bytes' })
const Ms = Type.Integer({ minimum: 0, description: 'ms since the Unix epoch' })

export const SealSchema = Type.Object(
  {
    scheme: Type.Union([Type.Literal('sr25519'), Type.Literal('ed25519'), Type.Literal('ecdsa')]),
    sig: Hex,
    n: Type.Integer({ minimum: 1, description: 'batch size' }),
    i: Type.Integer({ minimum: 0, description: 'leaf index' }),
    path: Type.Array(Hex, { maxItems: 17 }),
  },
  {
    $id: 'Seal',
    title: 'Seal',
    description: 'core seal (JSON view): signature over a batch root',
    additionalProperties: false,
  },
)

/** A signed record as sent back in: only `bytes` and `seal` are read; `cid` and `record` may ride along. */
export const SignedIn = Type.Object(
  { bytes: Base64, seal: ref(SealSchema), cid: Type.Optional(Type.String()), record: Type.Optional(Type.Unknown()) },
  { additionalProperties: false, description: 'a signed record { bytes, seal } (e.g. as this service returns it)' },
)

export const GrantRecord = Type.Object(
  {
    v: Type.Literal(1),
    grantor: Address,
    grantee: Address,
    bucket: Bucket,
    scope: Scope,
    owner: Type.Optional(Address),
    epoch: Epoch,
    kid: Type.String({ description: 'bucket:… or user:… key id of the wrapped key' }),
    wrapped: Hex,
    created: Ms,
    exp: Ms,
  },
  { $id: 'GrantRecord', title: 'GrantRecord', description: '@ddc/crypto grant, JSON view' },
)

export const SignedGrant = Type.Object(
  { cid: Type.String({ description: 'CID of bytes' }), record: ref(GrantRecord), bytes: Base64, seal: ref(SealSchema) },
  { $id: 'SignedGrant', title: 'SignedGrant', description: 'a grant signed by the service account' },
)

export const AnnouncementRecord = Type.Object(
  { v: Type.Literal(1), account: Address, x25519: Hex, created: Ms },
  { $id: 'AnnouncementRecord', title: 'AnnouncementRecord', description: '@ddc/crypto key announcement, JSON view' },
)

export const Grantee = Type.Union(
  [
    Type.Object(
      {
        account: Address,
        x25519: Type.String({ description: 'X25519 public key, hex or base64', examples: [EX.charlieX25519] }),
      },
      { additionalProperties: false },
    ),
    Type.Object({ announcement: SignedIn }, { additionalProperties: false }),
  ],
  { description: "the grantee's account and X25519 key, or its signed key announcement" },
)

export const EventIn = Type.Object(
  {
    bucket: Bucket,
    owner: Address,
    id: name(128, 'event id', ['evt-1']),
    type: name(128, 'event type', ['page_view']),
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'the plaintext event fields' }),
  },
  { additionalProperties: false },
)

export const ScopeMeta = Type.Object(
  { epoch: Epoch, kid: Type.Optional(Type.String()) },
  { additionalProperties: false },
)

export const EncryptedEvent = Type.Object(
  {
    pub: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'fields left public' })),
    enc: Type.String({ description: 'encryption module id', examples: ['xchacha20poly1305-blake2b-v1'] }),
    scopes: Type.Record(Type.String(), ScopeMeta),
    body: { ...Base64, description: 'the body block to store beside the envelope' },
    bodyCid: Type.String({ description: 'CID of body (CIDv1 dag-cbor sha2-256): the envelope.body link' }),
  },
  {
    $id: 'EncryptedEvent',
    title: 'EncryptedEvent',
    description: 'envelope parts: pub?, enc, scopes, and the body block',
  },
)

export const SealedEnvelope = Type.Object(
  {
    bucket: Bucket,
    owner: Address,
    id: name(128, 'event id', ['evt-1']),
    type: name(128, 'event type', ['page_view']),
    pub: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    enc: Type.Optional(Type.String({ maxLength: 64 })),
    scopes: Type.Optional(Type.Record(Type.String(), ScopeMeta)),
    body: Type.Optional(Type.String({ description: 'CID of the body block; checked against body when given' })),
    v: Type.Optional(Type.Literal(1)),
    seq: Type.Optional(Type.Integer({ minimum: 0 })),
    prev: Type.Optional(Type.Union([Type.Null(), Type.String()])), // null first: the kit's ajv coerces types
    ts: Type.Optional(Type.Integer({ minimum: 0 })),
    signer: Type.Optional(Address),
    cap: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    description: 'the envelope JSON view (core envelopeToJson), or just bucket, owner, id, type, enc, scopes, pub',
  },
)

export const Decrypted = Type.Object(
  {
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'pub merged with every scope that opened' }),
    opened: Type.Array(Type.String()),
    locked: Type.Array(
      Type.Object({
        scope: Type.String(),
        reason: Type.Union([Type.Literal('no-key'), Type.Literal('bad-ciphertext')]),
      }),
    ),
  },
  { $id: 'Decrypted', title: 'Decrypted' },
)

export const Account = Type.Object(
  {
    address: Address,
    scheme: Type.String(),
    x25519: { ...Hex, description: "the service's X25519 public key (grants for the service are wrapped to it)" },
    announcement: Type.Object({
      cid: Type.String(),
      record: ref(AnnouncementRecord),
      bytes: Base64,
      seal: ref(SealSchema),
    }),
  },
  { $id: 'Account', title: 'Account' },
)

/** Registered on the app; referenced by `$id` from route schemas. */
export const SCHEMAS = [SealSchema, GrantRecord, SignedGrant, AnnouncementRecord, EncryptedEvent, Decrypted, Account]

export const SECURITY = [{ bearerAuth: [] }]
